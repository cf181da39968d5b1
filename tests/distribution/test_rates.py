"""Response rates by survey, channel and period."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pulso.surveys.distribution.rates import response_rates
from pulso.surveys.models import Invitation
from tests.distribution.factories import InvitationFactory, make_live_survey

pytestmark = pytest.mark.django_db
Status = Invitation.Status
MADRID = ZoneInfo("Europe/Madrid")


def test_rates_by_survey_and_channel_ignore_unsent_invitations() -> None:
    first, second = make_live_survey(), make_live_survey()
    for status in [Status.ANSWERED, Status.ANSWERED, Status.SENT, Status.BOUNCED]:
        InvitationFactory(survey=first, status=status)
    for status in [Status.QUEUED, Status.FAILED, Status.SUPPRESSED]:
        InvitationFactory(survey=first, status=status)  # never reached anyone
    InvitationFactory(survey=first, channel="sms", status=Status.OPENED)
    InvitationFactory(survey=second, status=Status.SENT)
    rows = response_rates(Invitation.objects.all())
    assert rows == [
        {"survey": first.pk, "channel": "email", "invited": 4, "opened": 2, "answered": 2,
         "bounced": 1, "rate": 0.5},
        {"survey": first.pk, "channel": "sms", "invited": 1, "opened": 1, "answered": 0,
         "bounced": 0, "rate": 0.0},
        {"survey": second.pk, "channel": "email", "invited": 1, "opened": 0, "answered": 0,
         "bounced": 0, "rate": 0.0},
    ]  # fmt: skip


def test_rates_by_month_use_the_sending_date() -> None:
    InvitationFactory(status=Status.ANSWERED, sent_at=datetime(2025, 1, 31, 23, 30, tzinfo=MADRID))
    InvitationFactory(status=Status.SENT, sent_at=datetime(2025, 2, 1, 0, 30, tzinfo=MADRID))
    InvitationFactory(status=Status.ANSWERED, sent_at=datetime(2025, 2, 10, tzinfo=MADRID))
    rows = response_rates(Invitation.objects.all(), by=["month"])
    assert [(row["month"].date().isoformat(), row["invited"], row["rate"]) for row in rows] == [
        ("2025-01-01", 1, 1.0),
        ("2025-02-01", 2, 0.5),
    ]


def test_unknown_grouping_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown grouping"):
        response_rates(Invitation.objects.all(), by=["colour"])
