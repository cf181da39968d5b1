"""Archetypes: on customers generated from known groups (segment, value, scores and the
touchpoints they use), the groups found match the known ones (adjusted Rand index ≥ 0.8) and the
number of groups is found from the data; each archetype is described and saved with its quotes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone
from sklearn.metrics import adjusted_rand_score

from pulso.customers.models import Customer
from pulso.design import archetypes
from pulso.design.actions import do_find_archetypes
from pulso.design.features import customer_table
from pulso.feedback.models import Feedback
from pulso.journeys.models import Touchpoint
from pulso.lib.clustering import find_groups
from tests.factories import TouchpointFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Group:
    segment: str
    value: tuple[int, int]
    nps: list[int]
    touchpoints: tuple[int, int]  # indexes of the touchpoints this group mostly uses
    comment: str


GROUPS = [
    Group("Profesional", (2500, 4000), [9, 10, 10, 9, 8], (0, 1), "El comercial conoce mi obra y"),
    Group("Particular", (80, 400), [0, 2, 4, 5, 6, 6, 7], (2, 3), "La entrega llegó tarde y nadie"),
    Group("Premium", (900, 1800), [7, 8, 8, 9], (4, 5), "La web es cómoda pero el pago"),
]


def generate(rng: random.Random, groups: list[Group], per_group: int) -> dict[int, int]:
    """Customers and their feedback drawn from ``groups``, with noise; customer id → group."""
    touchpoints = [TouchpointFactory() for _ in range(6)]
    now = timezone.now()
    known: dict[int, int] = {}
    items = []
    for g, group in enumerate(groups):
        for n in range(per_group):
            segment = group.segment if rng.random() < 0.9 else rng.choice(groups).segment
            customer = Customer.objects.create(
                external_id=f"G{g}-{n}",
                segment=segment,
                value=Decimal(rng.randrange(*group.value)),
            )
            known[customer.pk] = g
            for i in range(rng.randint(2, 5)):
                own = rng.random() < 0.85
                tp = touchpoints[rng.choice(group.touchpoints) if own else rng.randrange(6)]
                items.append(_feedback(rng, customer, tp, group, now - timedelta(days=i + 1)))
    Feedback.objects.bulk_create(items)
    return known


def _feedback(
    rng: random.Random, customer: Customer, tp: Touchpoint, group: Group, when: datetime
) -> Feedback:
    return Feedback(
        source=Feedback.Source.SURVEY,
        customer=customer,
        touchpoint=tp,
        journey=tp.stage.journey,
        nps=rng.choice(group.nps),
        csat=rng.randint(4, 5) if group.nps[0] >= 7 else rng.randint(1, 3),
        text=f"{group.comment} cliente {customer.external_id} opina así.",
        received_at=when,
    )


def test_archetypes_found_on_generated_customers_recover_the_known_groups() -> None:
    known = generate(random.Random(7), GROUPS, per_group=60)
    today = timezone.localdate()
    table = customer_table(today - timedelta(days=30), today)

    found = archetypes.find(table, seed=1)

    truth = [known[pk] for pk in table.customer_ids]
    ari = adjusted_rand_score(truth, found.labels)
    print(f"adjusted Rand index: {ari:.3f}, k={len(found.archetypes)}")
    assert len(table) == 180
    assert len(found.archetypes) == 3
    assert ari >= 0.8


def test_the_number_of_groups_is_chosen_from_the_data() -> None:
    rng = np.random.default_rng(3)
    for k in (2, 4, 5):
        centres = rng.normal(0, 6, size=(k, 5))
        truth = np.repeat(np.arange(k), 80)
        rows = centres[truth] + rng.normal(0, 1, size=(len(truth), 5))
        grouping = find_groups(rows, 2, 8, seed=0)
        assert grouping.k == k
        assert adjusted_rand_score(truth, grouping.labels) >= 0.8


def test_found_archetypes_are_saved_with_profile_scores_journey_and_quotes() -> None:
    known = generate(random.Random(11), GROUPS, per_group=50)
    today = timezone.localdate()

    segmentation = do_find_archetypes(today - timedelta(days=30), today, seed=1)

    saved = list(segmentation.archetypes.all())
    assert segmentation.customers == len(known) == 150
    assert sum(a.size for a in saved) == 150 and len(saved) == 3
    by_segment = {a.main_segment(): a for a in saved}
    assert set(by_segment) == {"Profesional", "Particular", "Premium"}
    loyal, unhappy = by_segment["Profesional"], by_segment["Particular"]
    assert loyal.scores["nps"] > 50 > unhappy.scores["nps"]
    assert loyal.scores["nps_n"] >= 100
    loyal_tps = {row["touchpoint"] for row in loyal.journey[:2]}
    unhappy_tps = {row["touchpoint"] for row in unhappy.journey[:2]}
    assert loyal_tps.isdisjoint(unhappy_tps)
    quotes = list(loyal.quotes.all())
    assert 1 <= len(quotes) <= 3
    assert all(q.text.startswith("El comercial conoce mi obra") for q in quotes)
