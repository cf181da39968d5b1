"""The survey behind a public link, kept per process and checked against the database.

Every public submission needs the survey with its current version, touchpoint, stage and org
unit. Loading them through the ORM (a four-way ``select_related``) costs more CPU than the rest
of the submission, so each process keeps the loaded survey and, on every request, reads only
the columns that decide how a response is recorded (status, current version and its
publication, touchpoint, journey, org unit and its place in the tree) with one small query.
When any of them differs, the survey is loaded again; otherwise the kept objects are used.
Display-only fields of the related rows (names) may lag by at most ``CACHE_SECONDS``.

The kept objects are shared by the threads of a process and must be treated as read-only.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from django.db import connection

from pulso.accounts.models import OrgUnit
from pulso.journeys.models import Stage, Touchpoint
from pulso.surveys.models import Survey, SurveyVersion

# Responses store the journey's id (touchpoint.stage.journey_id): no need to join journeys.
SURVEY_RELATED = ("current_version", "touchpoint__stage", "org_unit")
CACHE_SECONDS = 60.0
CACHE_SIZE = 512

# token: (expires at, state row, survey)
_kept: dict[str, tuple[float, tuple[Any, ...], Survey]] = {}


@cache
def _state_sql() -> str:
    survey, version = Survey._meta.db_table, SurveyVersion._meta.db_table
    touchpoint, stage = Touchpoint._meta.db_table, Stage._meta.db_table
    unit = OrgUnit._meta.db_table
    return (
        f"SELECT s.id, s.status, s.current_version_id, v.published_at, s.touchpoint_id, "
        f"t.stage_id, st.journey_id, s.org_unit_id, u.path "
        f"FROM {survey} s "
        f"JOIN {touchpoint} t ON t.id = s.touchpoint_id "
        f"JOIN {stage} st ON st.id = t.stage_id "
        f"LEFT JOIN {version} v ON v.id = s.current_version_id "
        f"LEFT JOIN {unit} u ON u.id = s.org_unit_id "
        f"WHERE s.public_token = %s"
    )


def public_survey(token: str) -> Survey | None:
    """The survey of a public link with its version, touchpoint, stage and org unit loaded."""
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(), [token])
        state = cursor.fetchone()
    if state is None:
        return None
    state = tuple(state)
    now = time.monotonic()
    kept = _kept.get(token)
    if kept is not None and kept[1] == state and kept[0] > now:
        return kept[2]
    survey = Survey.objects.select_related(*SURVEY_RELATED).filter(pk=state[0]).first()
    if survey is None:
        return None
    if len(_kept) >= CACHE_SIZE:
        _kept.clear()
    _kept[token] = (now + CACHE_SECONDS, state, survey)
    return survey
