"""Share of voice: who each mention counts for, and the shares per brand and period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from pulso.reputation.actions import do_relink_brands
from pulso.reputation.models import Brand, Mention
from pulso.reputation.share import OWN, attributed, share_of_voice
from pulso.textanalytics.models import TextAnalysis
from tests.reputation.factories import make_mention

pytestmark = pytest.mark.django_db


def test_a_mention_counts_for_us_unless_it_names_only_competitors() -> None:
    assert attributed(set(), OWN) == {OWN}
    assert attributed({7}, OWN) == {7}
    assert attributed({7, 9}, OWN) == {7, 9}
    assert attributed({3, 7}, 3) == {3, 7}  # our brand row named with a competitor


def moment(day: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, 12, tzinfo=timezone.get_default_timezone())


def test_shares_of_mentions_and_of_positive_mentions() -> None:
    ours = Brand.objects.create(name="Acme", is_own=True)
    rival = Brand.objects.create(name="Rival", aliases="Rivalia")
    texts = [
        ("Acme me atendió bien", "positive"),
        ("Rivalia es más barata", "positive"),
        ("Prefiero rival a acme", "negative"),
        ("Todo perfecto", "positive"),
    ]
    for text, sentiment in texts:
        mention = make_mention(text, received_at=moment(5))
        TextAnalysis.objects.create(feedback=mention.feedback, sentiment=sentiment)
    do_relink_brands()

    totals, rows = share_of_voice(Mention.objects.all())

    by_brand = {t.brand: t for t in totals}
    # Acme: 1st, 3rd (names both) and 4th (names none) = 3; Rival: 2nd and 3rd = 2.
    assert (by_brand["Acme"].mentions, by_brand["Rival"].mentions) == (3, 2)
    assert by_brand["Acme"].share == pytest.approx(3 / 5)
    assert (by_brand["Acme"].positive, by_brand["Rival"].positive) == (2, 1)
    assert by_brand["Rival"].positive_share == pytest.approx(1 / 3)
    assert totals[0].brand == ours.name and totals[0].is_own
    assert {r["brand"] for r in rows} == {ours.name, rival.name}
    assert all(r["period"] == "2026-03-01" for r in rows)


def test_periods_without_our_brand_row_call_us_our_brand() -> None:
    Brand.objects.create(name="Rival")
    make_mention("Rival no contesta", received_at=moment(5), rating=Decimal(5))
    make_mention("Muy bien", received_at=moment(5, month=4), rating=Decimal(5))
    do_relink_brands()

    totals, rows = share_of_voice(Mention.objects.all())

    assert [(t.brand, t.mentions, t.positive) for t in totals] == [
        (gettext("Our brand"), 1, 1), ("Rival", 1, 1),
    ]  # fmt: skip
    assert [(r["period"], r["brand"], r["share"]) for r in rows] == [
        ("2026-03-01", "Rival", 1.0), ("2026-04-01", gettext("Our brand"), 1.0),
    ]  # fmt: skip


def test_no_mention_no_share() -> None:
    assert share_of_voice(Mention.objects.all()) == ([], [])
