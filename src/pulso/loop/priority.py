"""A case's priority from what the feedback says, not only from the rule that opened it.

The rule's priority is the floor. Each reason found raises it: a legal threat makes the case
urgent; a customer leaving makes it at least high; a repeat complaint, a very low score and a
high-value customer raise it one level each (at most to urgent). Wording is matched like rule
keywords: accents, case and inflection ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from pulso.customers.models import Customer
from pulso.feedback.models import Feedback
from pulso.loop.conditions import mentions_any
from pulso.loop.defaults import CHURN_KEYWORDS
from pulso.loop.models import PRIORITY_RANK, PRIORITY_REASONS, Case, Priority

LEGAL_THREATS = [
    "abogado", "abogada", "denuncia", "denunciar", "demanda", "demandar", "juzgado",
    "tribunal", "ocu", "hoja de reclamaciones", "reclamación oficial", "consumo",
    "lawyer", "attorney", "sue you", "legal action", "court",
]  # fmt: skip
REPEAT_WORDING = [
    "otra vez", "de nuevo", "una vez más", "por segunda vez", "por tercera vez", "ya van",
    "siempre lo mismo", "sigue sin", "seguimos igual", "again", "second time", "third time",
    "still not",
]  # fmt: skip
REPEAT_WINDOW = timedelta(days=90)
VERY_LOW_NPS = 2  # 0–2 of 10
VERY_LOW_SHARE = Decimal("0.2")  # a rating of 1 of 5 (2 of 10)
TOP_TENTH_KEY = "loop.priority.high_value"

_BY_RANK = {rank: priority for priority, rank in PRIORITY_RANK.items()}


@dataclass(frozen=True)
class Assessment:
    priority: str
    reasons: list[str]  # keys of PRIORITY_REASONS, in their order


def _says(text: str, phrases: list[str], language: str) -> bool:
    return mentions_any(text, phrases, language)


def _repeat(item: Feedback, now: datetime) -> bool:
    if _says(item.text, REPEAT_WORDING, item.language or "es"):
        return True
    if item.customer_id is None:
        return False
    earlier = Case.objects.filter(customer_id=item.customer_id, created_at__gte=now - REPEAT_WINDOW)
    return earlier.exclude(feedback=item).exists()


def _very_low(item: Feedback) -> bool:
    if item.nps is not None:
        return item.nps <= VERY_LOW_NPS
    if item.rating is None or not item.rating_scale_max:
        return False
    return item.rating / item.rating_scale_max <= VERY_LOW_SHARE


def high_value_threshold() -> Decimal | None:
    """``PULSO_HIGH_VALUE_CUSTOMER`` when set, else the value of the top tenth of customers
    (kept an hour); None while no customer has a value."""
    if settings.PULSO_HIGH_VALUE_CUSTOMER > 0:
        return Decimal(settings.PULSO_HIGH_VALUE_CUSTOMER)
    cached = cache.get(TOP_TENTH_KEY)
    if cached is None:
        valued = Customer.objects.filter(value__gt=0)
        count = valued.count()
        top = valued.order_by("-value").values_list("value", flat=True)[
            count // 10 : count // 10 + 1
        ]
        cached = str(top[0]) if count else ""
        cache.set(TOP_TENTH_KEY, cached, 3600)
    return Decimal(cached) if cached else None


def _high_value(item: Feedback) -> bool:
    customer = item.customer
    if customer is None or not customer.value:
        return False
    threshold = high_value_threshold()
    return threshold is not None and customer.value >= threshold


def assess(item: Feedback, floor: str, now: datetime) -> Assessment:
    """The priority of a case about ``item`` opened by a rule asking for ``floor``."""
    language = item.language or "es"
    found = {
        "legal": _says(item.text, LEGAL_THREATS, language),
        "churn": _says(item.text, CHURN_KEYWORDS, language),
        "repeat": _repeat(item, now),
        "score": _very_low(item),
        "value": _high_value(item),
    }
    reasons = [key for key in PRIORITY_REASONS if found[key]]
    rank = PRIORITY_RANK[floor]  # type: ignore[index]
    if "churn" in reasons:
        rank = max(rank, PRIORITY_RANK[Priority.HIGH])
    rank += sum(1 for key in reasons if key in ("repeat", "score", "value"))
    if "legal" in reasons:
        rank = PRIORITY_RANK[Priority.URGENT]
    return Assessment(_BY_RANK[min(rank, PRIORITY_RANK[Priority.URGENT])], reasons)
