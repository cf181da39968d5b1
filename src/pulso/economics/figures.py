"""CX economics: what customers did after they told us how we did.

Each customer is followed from their *first* NPS answer (the baseline: the longest follow-up).
A customer counts for a horizon of N days only when N days have passed since then (``as_of``),
so every share is over customers watched for the whole window. Within (answer, answer + N]:

- churned: they cancelled; retention is its complement;
- repurchased: they bought or renewed;
- revenue: purchases and renewals minus returns (amounts without currency).

Groups are the NPS group of the baseline answer, and its CES band where it has a CES score.
Retention curves (Kaplan–Meier) follow every baseline customer up to their first cancellation,
censored at ``as_of``. Campaigns: each customer's first contact by a campaign, grouped by their
latest NPS answer before it, churn within N days after the contact.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from pulso.customers.models import CustomerAction
from pulso.economics.stats import (
    CurvePoint,
    Mean,
    Proportion,
    kaplan_meier,
    mean_with_interval,
    wilson,
)
from pulso.feedback.models import Feedback
from pulso.lib.scores import NPS_GROUPS, nps_group

HORIZONS = (90, 180, 365)
DEFAULT_HORIZON = 90
CES_BANDS = ("easy", "neutral", "hard")  # CES 5–7, 4, 1–3
BUYING = {CustomerAction.Kind.PURCHASE, CustomerAction.Kind.RENEWAL}
MONEY = BUYING | {CustomerAction.Kind.RETURN}
DAY = dt.timedelta(days=1)


def ces_band(score: int | None) -> str | None:
    if score is None:
        return None
    return "easy" if score >= 5 else "neutral" if score == 4 else "hard"


@dataclass(frozen=True)
class Answer:
    at: dt.datetime
    nps: int
    ces: int | None


@dataclass
class Behaviour:
    """One customer's actions up to ``as_of``, each list in date order."""

    cancellations: list[dt.datetime] = field(default_factory=list)
    purchases: list[dt.datetime] = field(default_factory=list)
    money: list[tuple[dt.datetime, Decimal]] = field(default_factory=list)
    contacts: dict[str, dt.datetime] = field(default_factory=dict)  # campaign → first contact

    def cancelled_within(self, start: dt.datetime, end: dt.datetime) -> bool:
        return any(start < moment <= end for moment in self.cancellations)

    def bought_within(self, start: dt.datetime, end: dt.datetime) -> bool:
        return any(start < moment <= end for moment in self.purchases)

    def revenue_within(self, start: dt.datetime, end: dt.datetime) -> float:
        return float(sum((amount for moment, amount in self.money if start < moment <= end), 0))

    def first_cancellation_after(self, start: dt.datetime) -> dt.datetime | None:
        return next((moment for moment in self.cancellations if moment > start), None)


@dataclass(frozen=True)
class GroupFigures:
    group: str
    customers: int  # followed for the whole horizon
    churn: Proportion | None
    retention: Proportion | None
    repurchase: Proportion | None
    revenue: Mean | None


@dataclass(frozen=True)
class CampaignFigures:
    campaign: str
    contacted: int
    groups: list[tuple[str, Proportion | None]]  # NPS group → churn after the contact


@dataclass(frozen=True)
class Risk:
    """Revenue at risk from today's detractors and the value of turning them into promoters."""

    current_detractors: int
    detractor_churn: float
    revenue_per_customer: float
    revenue_at_risk: float
    promoter_revenue: float
    detractor_revenue: float
    value_per_conversion: float
    value_of_all_conversions: float


@dataclass
class Economics:
    as_of: dt.datetime
    horizon: int
    baselines: int  # customers with an NPS answer
    groups: list[GroupFigures]
    overall: GroupFigures
    ces_bands: list[GroupFigures]
    curves: dict[str, list[CurvePoint]]
    campaigns: list[CampaignFigures]
    risk: Risk | None


def load_answers(as_of: dt.datetime) -> dict[int, list[Answer]]:
    """Every customer's NPS answers up to ``as_of``, oldest first."""
    rows = (
        Feedback.objects.filter(
            customer__isnull=False, nps__isnull=False, is_complete=True, received_at__lte=as_of
        )
        .order_by("customer_id", "received_at", "pk")
        .values_list("customer_id", "received_at", "nps", "ces")
    )
    answers: dict[int, list[Answer]] = defaultdict(list)
    for customer_id, at, nps, ces in rows.iterator(chunk_size=5_000):
        answers[customer_id].append(Answer(at, nps, ces))
    return answers


def load_behaviour(as_of: dt.datetime) -> dict[int, Behaviour]:
    """Every customer's actions up to ``as_of``."""
    rows = (
        CustomerAction.objects.filter(occurred_at__lte=as_of)
        .order_by("customer_id", "occurred_at", "pk")
        .values_list("customer_id", "kind", "occurred_at", "amount", "campaign")
    )
    found: dict[int, Behaviour] = defaultdict(Behaviour)
    for customer_id, kind, at, amount, campaign in rows.iterator(chunk_size=5_000):
        behaviour = found[customer_id]
        if kind == CustomerAction.Kind.CANCELLATION:
            behaviour.cancellations.append(at)
        if kind in BUYING:
            behaviour.purchases.append(at)
        if kind in MONEY and amount is not None:
            behaviour.money.append((at, -amount if kind == CustomerAction.Kind.RETURN else amount))
        if kind == CustomerAction.Kind.CAMPAIGN_CONTACTED and campaign:
            behaviour.contacts.setdefault(campaign, at)
    return found


def group_figures(
    group: str, baselines: list[tuple[Answer, Behaviour]], horizon: int, as_of: dt.datetime
) -> GroupFigures:
    window = horizon * DAY
    followed = [(a, b) for a, b in baselines if a.at + window <= as_of]
    churned = sum(b.cancelled_within(a.at, a.at + window) for a, b in followed)
    bought = sum(b.bought_within(a.at, a.at + window) for a, b in followed)
    churn = wilson(churned, len(followed))
    return GroupFigures(
        group=group,
        customers=len(followed),
        churn=churn,
        retention=churn.complement() if churn else None,
        repurchase=wilson(bought, len(followed)),
        revenue=mean_with_interval([b.revenue_within(a.at, a.at + window) for a, b in followed]),
    )


def curve(baselines: list[tuple[Answer, Behaviour]], as_of: dt.datetime) -> list[CurvePoint]:
    durations, churned = [], []
    for answer, behaviour in baselines:
        cancelled = behaviour.first_cancellation_after(answer.at)
        durations.append(((cancelled or as_of) - answer.at) / DAY)
        churned.append(cancelled is not None)
    return kaplan_meier(durations, churned)


def campaign_figures(
    answers: dict[int, list[Answer]],
    behaviour: dict[int, Behaviour],
    horizon: int,
    as_of: dt.datetime,
) -> list[CampaignFigures]:
    window = horizon * DAY
    by_campaign: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for customer_id, customer in behaviour.items():
        for campaign, contacted_at in customer.contacts.items():
            before = [a for a in answers.get(customer_id, []) if a.at <= contacted_at]
            if not before or contacted_at + window > as_of:
                continue
            group = nps_group(before[-1].nps) or ""
            churned = customer.cancelled_within(contacted_at, contacted_at + window)
            by_campaign[campaign][group].append(churned)
    return [
        CampaignFigures(
            campaign,
            sum(len(flags) for flags in groups.values()),
            [(g, wilson(sum(groups[g]), len(groups[g]))) for g in NPS_GROUPS],
        )
        for campaign, groups in sorted(by_campaign.items())
    ]


def current_detractors(
    answers: dict[int, list[Answer]], behaviour: dict[int, Behaviour], as_of: dt.datetime
) -> int:
    """Customers whose latest answer is a detractor's and who have not cancelled since."""
    count = 0
    for customer_id, customer_answers in answers.items():
        latest = customer_answers[-1]
        customer = behaviour.get(customer_id)
        gone = customer is not None and customer.cancelled_within(latest.at, as_of)
        count += nps_group(latest.nps) == "detractor" and not gone
    return count


def risk(groups: dict[str, GroupFigures], overall: GroupFigures, detractors: int) -> Risk | None:
    """Revenue at risk = today's detractors × detractors' churn × revenue per customer; a
    conversion is worth a promoter's revenue minus a detractor's, over the same horizon."""
    churn = groups["detractor"].churn
    promoter, detractor = groups["promoter"].revenue, groups["detractor"].revenue
    if churn is None or promoter is None or detractor is None or overall.revenue is None:
        return None
    per_conversion = promoter.mean - detractor.mean
    return Risk(
        current_detractors=detractors,
        detractor_churn=churn.rate,
        revenue_per_customer=overall.revenue.mean,
        revenue_at_risk=detractors * churn.rate * overall.revenue.mean,
        promoter_revenue=promoter.mean,
        detractor_revenue=detractor.mean,
        value_per_conversion=per_conversion,
        value_of_all_conversions=detractors * per_conversion,
    )


def compute_economics(
    horizon: int = DEFAULT_HORIZON, as_of: dt.datetime | None = None
) -> Economics:
    """Every figure of the economics page for one horizon (days)."""
    as_of = as_of or timezone.now()
    answers = load_answers(as_of)
    behaviour = load_behaviour(as_of)
    empty = Behaviour()
    baselines = {cid: (found[0], behaviour.get(cid, empty)) for cid, found in answers.items()}
    by_group: dict[str, list[tuple[Answer, Behaviour]]] = defaultdict(list)
    by_band: dict[str, list[tuple[Answer, Behaviour]]] = defaultdict(list)
    for answer, customer in baselines.values():
        by_group[nps_group(answer.nps) or ""].append((answer, customer))
        if band := ces_band(answer.ces):
            by_band[band].append((answer, customer))
    groups = {g: group_figures(g, by_group[g], horizon, as_of) for g in NPS_GROUPS}
    overall = group_figures("all", list(baselines.values()), horizon, as_of)
    return Economics(
        as_of=as_of,
        horizon=horizon,
        baselines=len(baselines),
        groups=list(groups.values()),
        overall=overall,
        ces_bands=[group_figures(b, by_band[b], horizon, as_of) for b in CES_BANDS if by_band[b]],
        curves={g: curve(by_group[g], as_of) for g in NPS_GROUPS if by_group[g]},
        campaigns=campaign_figures(answers, behaviour, horizon, as_of),
        risk=risk(groups, overall, current_detractors(answers, behaviour, as_of)),
    )
