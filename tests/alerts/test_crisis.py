"""Crisis alerts end to end: analysed comments in the database → the daily job → alerts, emails."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import factory
from django.core import mail
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.alerts import crisis, jobs
from pulso.alerts.models import Alert, AlertKind, AlertSubscription
from pulso.feedback.models import Feedback
from pulso.loop import notifications
from pulso.textanalytics.models import TextAnalysis, Topic, TopicMention
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory
from tests.metrics.factories import local

TODAY = date(2025, 6, 30)
YESTERDAY = TODAY - timedelta(days=1)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tema-{n}")
    name_es = factory.LazyAttribute(lambda o: o.slug.capitalize())


def _at(day: date, hour: int = 12) -> datetime:
    return local(day.year, day.month, day.day, hour)


def _complaints(unit: OrgUnit, day: date, topics: list[Topic], n: int, channel: str) -> None:
    """``n`` analysed comments of ``unit`` on ``day``, negative about every one of ``topics``."""
    when = _at(day)
    records = Feedback.objects.bulk_create(
        FeedbackFactory.build(org_unit=unit, received_at=when, channel=channel) for _ in range(n)
    )
    analyses = TextAnalysis.objects.bulk_create(
        TextAnalysis(feedback=f, sentiment="negative", written_at=when) for f in records
    )
    TopicMention.objects.bulk_create(
        TopicMention(analysis=a, topic=t, sentiment="negative") for a in analyses for t in topics
    )


def _usual_day(org: Org, day: date, delivery: Topic, staff: Topic, late: int = 1) -> None:
    """Three comments on other things in each store, and complaints: ``late`` about delivery
    in Bilbao (its store channel), one about staff in Sevilla (on social media)."""
    _complaints(org.north_store, day, [], 3, "store")
    _complaints(org.south_store, day, [], 3, "social")
    _complaints(org.north_store, day, [delivery], late, "store")
    _complaints(org.south_store, day, [staff], 1, "social")


def _history(org: Org, delivery: Topic, staff: Topic) -> None:
    for back in range(1, crisis.HISTORY_DAYS):
        _usual_day(org, YESTERDAY - timedelta(days=back), delivery, staff)


def test_a_store_whose_complaints_about_a_topic_jump_alerts_its_subscribers_once(
    org: Org, personas: Personas
) -> None:
    delivery = TopicFactory(slug="entrega", name_es="Entrega")
    late = TopicFactory(slug="entrega-retraso", name_es="Retrasos", parent=delivery)
    staff = TopicFactory(slug="personal", name_es="Atención del personal")
    _history(org, delivery, staff)
    # Yesterday: nine comments about late deliveries in Bilbao (the subtopic counts for its
    # topic, once per comment), the usual one about staff in Sevilla.
    _usual_day(org, YESTERDAY, delivery, staff, late=0)
    _complaints(org.north_store, YESTERDAY, [delivery, late], 9, "store")
    AlertSubscription.objects.create(
        user=personas.store_manager, unit=org.north_store, kind=AlertKind.SPIKE
    )
    for person in (personas.analyst, personas.viewer):
        AlertSubscription.objects.create(user=person, unit=org.company, kind=AlertKind.SPIKE)

    now = _at(TODAY, 7)
    assert jobs.detect_spikes(now) == 2
    assert jobs.detect_spikes(now) == 0  # the job ran twice: nothing raised twice
    notifications.send_due(timezone.now() + timedelta(minutes=1))

    alert = Alert.objects.get(kind=AlertKind.SPIKE, unit=org.north_store)
    assert alert.day == YESTERDAY
    assert alert.detail["topic"] == "Entrega"
    assert alert.detail["count"] == 9
    assert 0.8 <= alert.detail["expected"] <= 1.2
    assert alert.detail["p_value"] < 1e-4
    # Twelve comments reached the store channel where four a day were usual: a spike too.
    volume = Alert.objects.get(kind=AlertKind.SPIKE, unit=org.company)
    assert (volume.detail["channel"], volume.detail["count"]) == ("store", 12)
    [to_manager] = [m for m in mail.outbox if m.to == [personas.store_manager.email]]
    assert "Entrega" in to_manager.subject and "Tienda Bilbao" in to_manager.subject
    assert "9" in to_manager.body
    # The analyst sees the whole company: both alerts. The viewer works in the south region:
    # Bilbao's figures are not theirs to see.
    assert len([m for m in mail.outbox if m.to == [personas.analyst.email]]) == 2
    assert not [m for m in mail.outbox if m.to == [personas.viewer.email] and "Bilbao" in m.subject]


def test_steady_complaints_and_a_couple_from_nothing_raise_no_alert(org: Org) -> None:
    delivery = TopicFactory(slug="entrega", name_es="Entrega")
    staff = TopicFactory(slug="personal", name_es="Atención del personal")
    price = TopicFactory(slug="precio", name_es="Precio")
    _history(org, delivery, staff)
    _usual_day(org, YESTERDAY, delivery, staff, late=2)
    # Two complaints about prices where there had been none: unusual, but not a crisis.
    _complaints(org.north_store, YESTERDAY, [price], 2, "store")
    assert jobs.detect_spikes(_at(TODAY, 7)) == 0
    assert not Alert.objects.exists()
