"""Alerts end to end: responses → daily aggregates → the scheduled job → alert rows and emails."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from pulso.accounts.models import Role
from pulso.alerts import detection, jobs
from pulso.alerts.models import Alert, AlertKind, AlertSubscription
from pulso.loop import notifications
from pulso.metrics.jobs import refresh_pending
from tests.conftest import Org, Personas
from tests.factories import MembershipFactory, UserFactory
from tests.metrics.factories import ResponseFactory, SurveyFactory, local

TODAY = date(2025, 6, 30)


def _at(day: date, hour: int = 12) -> datetime:
    return local(day.year, day.month, day.day, hour)


def _answers(survey: Any, unit: Any, day: date, scores: list[int]) -> None:
    for score in scores:
        ResponseFactory(survey=survey, nps=score, org_unit=unit, submitted_at=_at(day))


def test_a_store_whose_nps_collapses_alerts_its_subscribers_once(
    org: Org, personas: Personas, settings: Any
) -> None:
    settings.PULSO_LOW_BASE_N = 10
    survey = SurveyFactory()
    yesterday = TODAY - timedelta(days=1)
    for back in range(4, detection.HISTORY_DAYS):
        _answers(survey, org.north_store, yesterday - timedelta(days=back), [10, 9, 8])
    for back in range(3):  # the last three days: every customer a detractor
        _answers(survey, org.north_store, yesterday - timedelta(days=back), [2, 3, 1, 9])
    refresh_pending()
    AlertSubscription.objects.create(
        user=personas.store_manager, unit=org.north_store, kind=AlertKind.DROP
    )
    AlertSubscription.objects.create(user=personas.viewer, unit=org.company, kind=AlertKind.DROP)

    now = _at(TODAY, 7)
    assert jobs.detect_drops(now) >= 1
    assert jobs.detect_drops(now) == 0  # the job ran twice: nothing raised twice
    notifications.send_due(timezone.now() + timedelta(minutes=1))

    alert = Alert.objects.get(kind=AlertKind.DROP, unit=org.north_store)
    first_bad_day = yesterday - timedelta(days=2)
    assert first_bad_day <= alert.day <= first_bad_day + timedelta(days=2)
    assert alert.detail["nps_before"] - alert.detail["nps_now"] >= 30
    assert alert.detail["n_now"] >= 10 and alert.detail["n_before"] >= 10
    # The store's answers roll up into its region and the company, which drop with it.
    alerted = set(Alert.objects.values_list("unit__code", flat=True))
    assert alerted == {"bilbao", "norte", "acme"}
    to_manager = [m for m in mail.outbox if m.to == [personas.store_manager.email]]
    assert len(to_manager) == 1
    assert "Tienda Bilbao" in to_manager[0].subject
    # The viewer works in the south region: a north store's figures are not theirs to see.
    assert not [m for m in mail.outbox if m.to == [personas.viewer.email]]


def test_a_touchpoint_whose_nps_collapses_everywhere_alerts_once(
    org: Org, personas: Personas, settings: Any
) -> None:
    settings.PULSO_LOW_BASE_N = 10
    survey = SurveyFactory()
    yesterday = TODAY - timedelta(days=1)
    # Answers of no unit (a web touchpoint): no unit can drop, only the touchpoint.
    for back in range(4, detection.HISTORY_DAYS):
        _answers(survey, None, yesterday - timedelta(days=back), [10, 9, 8, 10, 9, 7])
    for back in range(3):
        _answers(survey, None, yesterday - timedelta(days=back), [2, 3, 1, 9, 4, 6])
    refresh_pending()
    AlertSubscription.objects.create(user=personas.analyst, unit=org.company, kind=AlertKind.DROP)

    now = _at(TODAY, 7)
    assert jobs.detect_drops(now) == 1
    assert jobs.detect_drops(now) == 0
    notifications.send_due(timezone.now() + timedelta(minutes=1))
    alert = Alert.objects.get()
    touchpoint = survey.touchpoint
    assert (alert.detail["touchpoint_id"], alert.unit) == (touchpoint.pk, org.company)
    assert alert.detail["nps_before"] - alert.detail["nps_now"] >= 30
    [email] = [m for m in mail.outbox if m.to == [personas.analyst.email]]
    assert touchpoint.name in email.subject and "todas las unidades" in email.body


def test_a_steady_store_raises_no_alert(org: Org, personas: Personas, settings: Any) -> None:
    settings.PULSO_LOW_BASE_N = 10
    survey = SurveyFactory()
    yesterday = TODAY - timedelta(days=1)
    for back in range(detection.HISTORY_DAYS):
        _answers(survey, org.north_store, yesterday - timedelta(days=back), [10, 9, 3])
    refresh_pending()
    assert jobs.detect_drops(_at(TODAY, 7)) == 0
    assert not Alert.objects.exists()


def test_watched_words_reach_who_watches_them(org: Org, personas: Personas) -> None:
    lead = MembershipFactory(
        user=UserFactory(username="legal"), unit=org.company, role=Role.CX_ANALYST
    ).user
    AlertSubscription.objects.create(user=lead, unit=org.company, kind=AlertKind.WORD)
    AlertSubscription.objects.create(
        user=personas.store_manager, unit=org.north_store, kind=AlertKind.WORD, words="OCU"
    )
    now = timezone.now()
    survey = SurveyFactory()
    ResponseFactory(survey=survey, nps=0, org_unit=org.north_store, submitted_at=now,
                    comment="Voy a poner una DENÚNCIA y hablaré con mi abogado")  # fmt: skip
    ResponseFactory(survey=survey, nps=1, org_unit=org.north_store, submitted_at=now,
                    comment="Quiero darme de baja ya")  # fmt: skip
    ResponseFactory(
        survey=survey,
        nps=9,
        org_unit=org.north_store,
        submitted_at=now,
        comment="La ocupación de la tienda era alta",
    )  # "OCU" inside a word: no
    assert jobs.watch_words(now + timedelta(seconds=1)) == 2
    assert jobs.watch_words(now + timedelta(seconds=2)) == 0
    notifications.send_due(now + timedelta(minutes=1))

    words = sorted(tuple(a.detail["words"]) for a in Alert.objects.filter(kind=AlertKind.WORD))
    assert words == [("abogado", "denuncia"), ("darme de baja",)]
    assert len([m for m in mail.outbox if m.to == [lead.email]]) == 2
    assert not [m for m in mail.outbox if m.to == [personas.store_manager.email]]


def test_words_match_whole_words_without_accents_or_case() -> None:
    assert detection.words_in("Llamaré a la OCU", ["OCU"]) == ["OCU"]
    assert detection.words_in("ocupado", ["OCU"]) == []
    assert detection.words_in("Quiero DARME de baja", ["darme de baja"]) == ["darme de baja"]
    assert detection.words_in("Una denúncia formal", ["denuncia"]) == ["denuncia"]


def test_digest_subscribers_get_one_email_a_day_instead(org: Org, personas: Personas) -> None:
    AlertSubscription.objects.create(
        user=personas.store_manager, unit=org.north, kind=AlertKind.WORD, delivery="digest"
    )
    now = timezone.now()
    survey = SurveyFactory()
    for text in ["Pondré una denuncia", "Hablaré con mi abogado", "Todo bien"]:
        ResponseFactory(survey=survey, nps=0, org_unit=org.north_store, submitted_at=now,
                        comment=text)  # fmt: skip
    assert jobs.watch_words(now + timedelta(seconds=1)) == 2
    notifications.send_due(now + timedelta(minutes=1))
    assert not mail.outbox  # nothing at once

    later = now + timedelta(hours=2)
    assert jobs.digest(later) == 1
    assert jobs.digest(later + timedelta(minutes=5)) == 0  # the job ran twice: one email
    notifications.send_due(later + timedelta(minutes=1))
    assert [m.to for m in mail.outbox] == [[personas.store_manager.email]]
    assert "Pondré una denuncia" in mail.outbox[0].body
    assert "Hablaré con mi abogado" in mail.outbox[0].body
    assert "2" in mail.outbox[0].subject


def test_personal_details_in_an_alerted_comment_are_masked_for_who_may_not_see_them(
    org: Org, personas: Personas
) -> None:
    AlertSubscription.objects.create(user=personas.viewer, unit=org.south, kind=AlertKind.WORD)
    now = timezone.now()
    ResponseFactory(survey=SurveyFactory(), nps=0, org_unit=org.south_store, submitted_at=now,
                    comment="Denuncia ya. Llamadme al 612 345 678")  # fmt: skip
    assert jobs.watch_words(now + timedelta(seconds=1)) == 1
    notifications.send_due(now + timedelta(minutes=1))
    [message] = [m for m in mail.outbox if m.to == [personas.viewer.email]]
    assert "Denuncia ya" in message.body
    assert "612 345 678" not in message.body
