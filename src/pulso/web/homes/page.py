"""Everything the home page shows for one person: a section per role held, charts included."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pulso.core.access import AnyUser
from pulso.metrics import charts
from pulso.metrics.metrics import low_base_n
from pulso.web.homes.agent import agent_home
from pulso.web.homes.company import company_home
from pulso.web.homes.health import data_health
from pulso.web.homes.manager import unit_home
from pulso.web.homes.roles import home_roles


def home_sections(user: AnyUser) -> dict[str, Any]:
    """The sections of each role the person holds (none computed for roles not held)."""
    roles = home_roles(user)
    context: dict[str, Any] = {"roles": roles, "low_base_n": low_base_n()}
    if roles.company:
        company = company_home(user)
        context["company"] = company
        context["company_chart"] = charts.nps_trend(company.trend, _("NPS by week"))
    context["units"] = [unit_home(user, unit) for unit in roles.managed]
    if roles.agent_paths:
        context["agent"] = agent_home(user, roles.agent_paths)
    if roles.health:
        context["health"] = data_health(user)
    return context
