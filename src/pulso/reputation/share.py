"""Share of voice: how much of what is said about the market is said about each brand.

A mention counts for every competitor it names (whole words, case and accents aside: see
:mod:`pulso.reputation.matching`), and for our brand when it names our brand or no competitor
at all (a review on our own page is about us). A brand's share of voice in a period is its
mentions over the mentions of every brand; its positive share, the same over positive mentions
(see :func:`pulso.reputation.index.is_positive`). One mention naming two brands counts once
for each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pulso.lib.stats import share
from pulso.metrics.filters import bucket_start
from pulso.reputation.index import is_positive
from pulso.reputation.models import Brand, Mention

OWN = 0  # the key of our brand when no brand row is marked as ours


@dataclass(frozen=True)
class BrandShare:
    brand: str
    is_own: bool
    mentions: int
    positive: int
    share: float | None  # 0–1
    positive_share: float | None

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else self.share * 100

    @property
    def positive_percent(self) -> float | None:
        return None if self.positive_share is None else self.positive_share * 100


def _brands_of(mentions: QuerySet[Any]) -> dict[int, set[int]]:
    through = Mention.brands.through
    links = through.objects.filter(mention_id__in=mentions.values("pk"))
    found: dict[int, set[int]] = defaultdict(set)
    for mention_id, brand_id in links.values_list("mention_id", "brand_id"):
        found[mention_id].add(brand_id)
    return found


def attributed(named: set[int], own_id: int) -> set[int]:
    """The brands a mention counts for, given the brands it names."""
    competitors = named - {own_id}
    return competitors | {own_id} if own_id in named or not competitors else competitors


def _counts(mentions: QuerySet[Any], own_id: int, by: str) -> dict[date, dict[int, list[int]]]:
    """period → brand → [mentions, positive]."""
    named = _brands_of(mentions)
    rows = mentions.values_list(
        "pk", "feedback__received_at", "feedback__rating", "feedback__rating_scale_max",
        "feedback__analysis__sentiment",
    )  # fmt: skip
    table: dict[date, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for pk, moment, rating, scale, sentiment in rows:
        period = bucket_start(timezone.localtime(moment).date(), by)
        positive = is_positive(rating, scale, sentiment)
        for brand in attributed(named.get(pk, set()), own_id):
            cell = table[period][brand]
            cell[0] += 1
            cell[1] += positive
    return table


def share_of_voice(
    mentions: QuerySet[Any], by: str = "month"
) -> tuple[list[BrandShare], list[dict[str, Any]]]:
    """Totals per brand over the whole period, and chart rows per period and brand."""
    brands = list(Brand.objects.all())
    own = next((b for b in brands if b.is_own), None)
    own_id = own.pk if own else OWN
    names = {b.pk: b.name for b in brands}
    names[own_id] = own.name if own else _("Our brand")
    table = _counts(mentions, own_id, by)
    chart: list[dict[str, Any]] = []
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for period in sorted(table):
        cells = table[period]
        everyone = [sum(c[i] for c in cells.values()) for i in (0, 1)]
        for brand, (count, positive) in cells.items():
            totals[brand][0] += count
            totals[brand][1] += positive
            chart.append({"period": period.isoformat(), "brand": names.get(brand, "?"),
                          "share": share(count, everyone[0]),
                          "positive_share": share(positive, everyone[1]), "n": count})  # fmt: skip
    return _totals(totals, names, own_id), chart


def _totals(totals: dict[int, list[int]], names: dict[int, str], own_id: int) -> list[BrandShare]:
    all_mentions = sum(t[0] for t in totals.values())
    all_positive = sum(t[1] for t in totals.values())
    shares = [
        BrandShare(
            names.get(b, "?"), b == own_id, n, p, share(n, all_mentions), share(p, all_positive)
        )  # fmt: skip
        for b, (n, p) in totals.items()
    ]
    return sorted(shares, key=lambda s: (not s.is_own, -s.mentions, s.brand))
