"""The links of every page's top bar: the main navigation and a person's own pages.

Each link is declared once here; what a page pays for them is a policy check per guarded link
and a join of cached strings. The address and the label of every link are resolved once per
URL configuration, script prefix and language (a lazy label is translated when cached), not on
each request, and a route that is not installed leaves its link out, as the templates' ``{% url
… as … %}`` did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, ResolverMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pulso.core import access


def _in_app(app: str) -> Callable[[ResolverMatch], bool]:
    return lambda match: match.app_name == app


def _is_explorer(match: ResolverMatch) -> bool:
    return match.app_name == "metrics" and match.url_name == "explorer"


def _is_dashboard(match: ResolverMatch) -> bool:
    return match.app_name == "metrics" and match.url_name != "explorer"


def _is_archetype(match: ResolverMatch) -> bool:
    return match.app_name == "design" and "archetype" in (match.url_name or "")


def _is_audit_log(match: ResolverMatch) -> bool:
    return match.url_name == "audit_log"


def _never(match: ResolverMatch) -> bool:
    return False


STAFF = "staff"
"""In ``Link.needs``: the person must be staff (Django's admin), not hold a policy action."""


@dataclass(frozen=True)
class Link:
    """One link: its route, its label, whom it shows to and on which pages it is current."""

    url_name: str
    label: Promise
    current: Callable[[ResolverMatch], bool] = _never
    needs: str | None = None  # a policy action, ``STAFF``, or None for everyone signed in

    def shown_to(self, user: access.AnyUser) -> bool:
        if self.needs is None:
            return True
        if self.needs == STAFF:
            return bool(getattr(user, "is_staff", False))
        return access.can(user, self.needs)


MAIN_LINKS: tuple[Link, ...] = (
    Link("web:home", _("Home"), _in_app("web")),
    Link("journeys:list", _("Journeys"), _in_app("journeys")),
    Link("metrics:overview", _("Dashboards"), _is_dashboard),
    Link("metrics:explorer", _("Explorer"), _is_explorer),
    Link("drivers:drivers", _("Key drivers"), _in_app("drivers")),
    Link("benchmarks:interactions", _("Benchmarks"), _in_app("benchmarks")),
    Link("feedback:explorer", _("Reviews and posts"), _in_app("feedback")),
    Link("surveys:list", _("Surveys"), _in_app("surveys")),
    Link("loop:list", _("Cases"), _in_app("loop")),
    Link("crisis:list", _("Crisis room"), _in_app("crisis"), "crisis.view_incident"),
    Link("audits:overview", _("Audits"), _in_app("audits")),
    Link("reputation:overview", _("Reputation"), _in_app("reputation"), "reputation.view_mention"),
    Link("inbox:list", _("Inbox"), _in_app("inbox"), "inbox.view_conversation"),
    Link("textanalytics:index", _("Text analytics"), _in_app("textanalytics")),
    Link("design:archetypes", _("Archetypes"), _is_archetype, "design.view_archetype"),
    Link("economics:overview", _("CX economics"), _in_app("economics"), "economics.view_economics"),
    Link(
        "initiatives:list", _("Initiatives"), _in_app("initiatives"), "initiatives.view_initiative"
    ),
    Link("pulses:list", _("Employee pulses"), _in_app("pulses"), "pulses.view_results"),
    Link("customers:list", _("Customers"), _in_app("customers")),
    Link("admin:index", _("Administration"), needs=STAFF),
    Link("core:audit_log", _("Audit log"), _is_audit_log, "core.read_audit_log"),
)

PERSONAL_LINKS: tuple[Link, ...] = (
    Link("alerts:list", _("Your alerts")),
    Link("recognitions:list", _("Your recognitions")),
    Link("reports:list", _("Your reports")),
    Link("api_tokens", _("Your API tokens")),
)

_Resolved = tuple[tuple[Link, SafeString, SafeString], ...]
_resolved: dict[tuple[object, ...], _Resolved] = {}


def _resolve(links: tuple[Link, ...]) -> _Resolved:
    """Each installed link with its escaped ``<a`` opening (address) and its escaped label."""
    key = (id(links), settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), get_language())
    found = _resolved.get(key)
    if found is None:
        rows = []
        for link in links:
            try:
                address = reverse(link.url_name)
            except NoReverseMatch:
                continue
            rows.append((link, format_html('<a href="{}"', address), format_html("{}", link.label)))
        found = _resolved[key] = tuple(rows)
    return found


def render_links(
    links: tuple[Link, ...], user: access.AnyUser, match: ResolverMatch | None
) -> SafeString:
    """The ``<a>`` elements of ``links`` this person may follow, the current page's marked."""
    parts = []
    for link, opening, label in _resolve(links):
        if not link.shown_to(user):
            continue
        marked = ' aria-current="page"' if match is not None and link.current(match) else ""
        parts.append(f"{opening}{marked}>{label}</a>")
    return mark_safe("\n".join(parts))  # noqa: S308 - built from escaped parts only
