"""Demo customer actions: purchases, renewals, returns, complaints, contacts, a renewal campaign
and cancellations, consistent with each customer's first NPS answer.

Detractors cancel more and buy less; promoters stay and buy again; a hard CES adds to the risk.
Each customer's story starts with the purchase they were asked about; nothing is dated after
now.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pulso.customers.models import Customer, CustomerAction
from pulso.feedback.models import Feedback
from pulso.lib.scores import nps_group

Kind = CustomerAction.Kind
BATCH = 5_000
MONTH = dt.timedelta(days=30)
# Per 30 days: the chance of cancelling, and the expected number of new purchases.
CHURN = {"detractor": 0.07, "passive": 0.035, "promoter": 0.015}
PURCHASES = {"detractor": 0.10, "passive": 0.18, "promoter": 0.30}
RETURNS = {"detractor": 0.12, "passive": 0.05, "promoter": 0.03}
# After the renewal campaign's call: the chance of renewing within a month.
RENEWS = {"detractor": 0.15, "passive": 0.35, "promoter": 0.55}
CAMPAIGN = "Renovación garantía ampliada"
CAMPAIGN_SHARE = 0.3
PRODUCTS = [
    ("Frigorífico combi", 450, 1_300),
    ("Lavadora", 300, 850),
    ("Televisor", 250, 1_600),
    ("Microondas", 60, 220),
    ("Aspiradora", 90, 450),
    ("Cafetera", 40, 300),
]
WARRANTY = ("Garantía ampliada", 49, 129)
SEGMENT_SPEND = {"Profesional": 1.6, "Premium": 2.2}


@dataclass(frozen=True)
class Baseline:
    customer: int
    external_id: str
    segment: str
    at: dt.datetime
    group: str
    hard_effort: bool
    unit: int | None


def _baselines() -> list[Baseline]:
    rows = (
        Feedback.objects.filter(customer__isnull=False, nps__isnull=False, is_complete=True)
        .order_by("customer_id", "received_at", "pk")
        .values_list("customer_id", "received_at", "nps", "ces", "org_unit_id")
    )
    customers = dict(Customer.objects.values_list("pk", "external_id"))
    segments = dict(Customer.objects.values_list("pk", "segment"))
    found: dict[int, Baseline] = {}
    for customer, at, nps, ces, unit in rows:
        if customer not in found:
            group = nps_group(nps) or "passive"
            hard = ces is not None and ces <= 3
            found[customer] = Baseline(
                customer, customers[customer], segments[customer], at, group, hard, unit
            )
    return list(found.values())


class Story:
    """One customer's actions, numbered for their external ids, none after ``now``."""

    def __init__(self, rng: random.Random, base: Baseline, now: dt.datetime) -> None:
        self.rng, self.base, self.now = rng, base, now
        self.actions: list[CustomerAction] = []

    def add(self, kind: str, at: dt.datetime, product: tuple[str, int, int] | None = None,
            amount: Decimal | None = None, campaign: str = "") -> None:  # fmt: skip
        if at > self.now:
            return
        if product and amount is None:
            spend = SEGMENT_SPEND.get(self.base.segment, 1.0)
            amount = Decimal(round(self.rng.uniform(product[1], product[2]) * spend, 2))
        self.actions.append(
            CustomerAction(
                customer_id=self.base.customer,
                kind=kind,
                external_id=f"{self.base.external_id}-A{len(self.actions) + 1:03d}",
                occurred_at=at,
                amount=None if amount is None else amount.quantize(Decimal("0.01")),
                product=product[0] if product else "",
                channel="tienda" if self.base.unit else "online",
                campaign=campaign,
                org_unit_id=self.base.unit,
            )
        )

    def _later(self, start: dt.datetime, per_month: float) -> dt.datetime:
        return start + self.rng.expovariate(per_month) * MONTH

    def tell(self) -> list[CustomerAction]:
        base, rng = self.base, self.rng
        first = rng.choice(PRODUCTS)
        self.add(Kind.PURCHASE, base.at - dt.timedelta(hours=rng.uniform(2, 72)), first)
        hazard = CHURN[base.group] * (1.4 if base.hard_effort else 1.0)
        leaves = self._later(base.at, hazard)
        end = min(leaves, self.now)
        self._purchases(end)
        self._service(end)
        self._campaign(end)
        if leaves <= self.now:
            self.add(Kind.CANCELLATION, leaves)
        return self.actions

    def _purchases(self, end: dt.datetime) -> None:
        moment = self._later(self.base.at, PURCHASES[self.base.group])
        while moment < end:
            product = self.rng.choice(PRODUCTS)
            self.add(Kind.PURCHASE, moment, product)
            if self.rng.random() < RETURNS[self.base.group]:
                bought = self.actions[-1]
                self.add(Kind.RETURN, moment + dt.timedelta(days=self.rng.uniform(2, 14)),
                         product, bought.amount)  # fmt: skip
            moment = self._later(moment, PURCHASES[self.base.group])

    def _service(self, end: dt.datetime) -> None:
        base, rng = self.base, self.rng
        if base.group == "detractor" and rng.random() < 0.35:
            self.add(Kind.COMPLAINT, min(base.at + dt.timedelta(days=rng.uniform(0.1, 10)), end))
        if rng.random() < 0.2:
            self.add(Kind.CONTACT, min(base.at + dt.timedelta(days=rng.uniform(1, 60)), end))

    def _campaign(self, end: dt.datetime) -> None:
        """A call on a day drawn over the customer's whole history to now, whether or not they
        leave later (drawing it before their cancellation would make every caller a churner);
        those gone by then are not called."""
        base, rng = self.base, self.rng
        if rng.random() >= CAMPAIGN_SHARE:
            return
        called = base.at + (self.now - base.at) * rng.uniform(0.05, 0.95)
        if called >= end:
            return
        self.add(Kind.CAMPAIGN_CONTACTED, called, campaign=CAMPAIGN)
        if rng.random() < RENEWS[base.group]:
            renewed = min(called + dt.timedelta(days=rng.uniform(1, 30)), end)
            self.add(Kind.RENEWAL, renewed, WARRANTY, campaign=CAMPAIGN)


def build(rng: random.Random, progress: Any) -> None:
    if CustomerAction.objects.exists():
        return
    baselines = _baselines()
    now = timezone.now()
    tick = progress("Customer actions", len(baselines))
    pending: list[CustomerAction] = []
    for base in baselines:
        pending += Story(rng, base, now).tell()
        if len(pending) >= BATCH:
            CustomerAction.objects.bulk_create(pending)
            pending = []
        tick(1)
    CustomerAction.objects.bulk_create(pending)
