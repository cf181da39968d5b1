"""Response rates of invitations, grouped by survey, channel, org unit and/or period."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek

from pulso.surveys.models import Invitation

Status = Invitation.Status
# Invitations that left Pulso: they count in the denominator of the response rate.
DELIVERED = (Status.SENT, Status.OPENED, Status.ANSWERED, Status.BOUNCED)
GROUPS: dict[str, Any] = {
    "survey": F("survey_id"),
    "channel": F("channel"),
    "org_unit": F("org_unit_id"),
    "day": TruncDay("sent_at"),
    "week": TruncWeek("sent_at"),
    "month": TruncMonth("sent_at"),
}


def response_rates(
    invitations: QuerySet[Invitation], by: Sequence[str] = ("survey", "channel")
) -> list[dict[str, Any]]:
    """One dict per group of ``invitations`` (already scoped with ``.visible_to(user)``).

    ``by`` picks any of "survey" (survey id), "channel", "org_unit" (org unit id) and a period
    "day" / "week" / "month" (a date in the current time zone, truncating ``sent_at``). Each row
    holds those keys plus ``invited`` (sent, opened, answered or bounced: queued, failed and
    suppressed invitations never reached anyone and are left out), ``opened`` (opened or
    answered), ``answered``, ``bounced`` and ``rate`` = answered / invited as a float in 0–1
    (None when nothing was invited). Groups with nothing invited are omitted. Rows are sorted
    by the ``by`` keys. Raises ValueError for an unknown key.
    """
    unknown = [key for key in by if key not in GROUPS]
    if unknown:
        raise ValueError(f"Unknown grouping {unknown}; use {sorted(GROUPS)}")
    # Aliases must not clash with model fields ("survey", "channel"), hence the prefix.
    aliases = {f"group_{key}": GROUPS[key] for key in by}
    answered = Q(status=Status.ANSWERED) | Q(answered_at__isnull=False)
    rows = (
        invitations.filter(status__in=DELIVERED)
        .order_by()
        .values(**aliases)
        .annotate(
            invited=Count("pk"),
            opened=Count("pk", filter=Q(status=Status.OPENED) | answered),
            answered=Count("pk", filter=answered),
            bounced=Count("pk", filter=Q(status=Status.BOUNCED)),
        )
        .order_by(*aliases)
    )
    return [_row(row, by) for row in rows]


def _row(row: Any, by: Sequence[str]) -> dict[str, Any]:
    result = {key: row[f"group_{key}"] for key in by}
    for count in ("invited", "opened", "answered", "bounced"):
        result[count] = row[count]
    result["rate"] = row["answered"] / row["invited"] if row["invited"] else None
    return result
