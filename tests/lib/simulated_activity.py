"""A simulated year of the demo company's daily activity: negative comments per store and
topic, and contacts per channel, at the demo's volumes (or a multiple of them).

The structure is the demo's: its stores, the store and home touchpoints whose answers go to a
store, the aspects customers write about at each of them, the demo's daily answers per
touchpoint and its reviews per store. On top of the demo's flat days: weekly seasonality
(busy Saturdays, quiet Sundays), a slow trend, store sizes, and overdispersion (a store's busy
day raises every topic of it; each topic also wobbles on its own), so daily counts are
negative binomial rather than Poisson.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pulso.demo import feedback as demo_feedback
from pulso.demo import responses as demo_responses
from pulso.demo.comments import CHANNEL_ASPECTS
from pulso.demo.journeys import JOURNEYS
from pulso.demo.org import REGIONS
from tests.lib.simulated_feedback import WEEKDAY_VOLUME

# Negative clauses per answer in the demo's comments: detractors (about 24 % of answers)
# comment 72 % of the time with 1⅓ negative clauses; passives (34 %) 45 % with ½.
NEGATIVE_CLAUSES_PER_ANSWER = 0.24 * 0.72 * 4 / 3 + 0.34 * 0.45 * 0.5
# Reviews: 35 % detractors, each comment 1⅓ negative clauses about store aspects.
NEGATIVE_CLAUSES_PER_REVIEW = 0.35 * 4 / 3 + 0.25 * 0.5
# What ``pulso demo`` writes per store and day, measured on a generated demo (PULSO_DEMO_DAYS=90,
# 2026-12-02: its last 88 whole days, 40 stores) and counted as the crisis job counts them:
# comments negative about each main topic of the default taxonomy (each comment once per
# topic), and feedback records of the store. The demo's structure above gives 1.59 records and
# 0.53 negative topic comments a day per store; the demo itself writes more (2.02 and 0.59), so
# the simulation takes, per topic, the higher of the two (0.65 a day in all).
DEMO_TOPIC_RATES = {
    "baja": 0.0097, "calidad-producto": 0.0378, "comunicacion": 0.0185, "entrega": 0.0375,
    "espera": 0.1216, "facturacion": 0.0162, "garantia-devoluciones": 0.0301,
    "instalacion": 0.0418, "personal": 0.0957, "precio": 0.0676, "seguro": 0.0247,
    "tienda": 0.0540, "web-app": 0.0341,
}  # fmt: skip
DEMO_FEEDBACK_PER_STORE = 2.02
# Overdispersion (negative binomial sizes), set from what store data look like before any
# run: a store's day is busier or quieter than its weekday by about 20 % (weather, a promotion),
# a topic's share of complaints wobbles by about 14 % from day to day; the company as a whole
# varies like a store.
STORE_DAY_SIZE = 25.0
TOPIC_DAY_SIZE = 50.0
WARM_UP = 7 * 8 + 7  # days before the simulated year: the baseline's eight weeks and a week


@dataclass(frozen=True)
class Activity:
    """Counts shaped (series, days) and the exposure each is judged against."""

    topics: np.ndarray  # negative comments per store and topic (stores × topics rows)
    store_feedback: np.ndarray  # the rest of the store's feedback that day, same shape
    channels: np.ndarray  # feedback per channel
    other_channels: np.ndarray  # the other channels' feedback that day
    series: list[tuple[str, str]]  # (store, topic) of each row of ``topics``


def touchpoint_aspects() -> list[list[str]]:
    """The aspects written about at each touchpoint whose answers go to a store (as the demo)."""
    found = []
    for _journey, _text, stages in JOURNEYS:
        for _stage, touchpoints in stages:
            for name, channel, *_rest in touchpoints:
                if channel not in demo_responses.STORE_CHANNELS:
                    continue
                aspects = CHANNEL_ASPECTS[channel]
                if "seguro" in name.lower() or "siniestro" in name.lower():
                    aspects = ["seguro", "comunicacion", "personal"]
                if "reparaci" in name.lower() or "técnico" in name.lower():
                    aspects = ["garantia", "personal", "espera"]
                found.append(aspects)
    return found


def demo_stores() -> list[str]:
    return [store for region in REGIONS.values() for store in region]


def answers_per_store() -> float:
    """Survey answers a day that go to one store, per touchpoint (as the demo writes them)."""
    return demo_responses.DAILY_RESPONSES_PER_TOUCHPOINT * 2.0 / 1.5 / len(demo_stores())


def reviews_per_store() -> float:
    return demo_feedback.ITEMS_PER_DAY * 0.5 / len(demo_stores())


def store_topic_rates() -> dict[str, float]:
    """Each topic's mean negative comments a day in an average store of the demo: the higher
    of what its structure gives and what the generated demo was measured to write."""
    derived = derived_topic_rates()
    return {t: max(DEMO_TOPIC_RATES.get(t, 0.0), derived.get(t, 0.0)) for t in DEMO_TOPIC_RATES}


def feedback_per_store() -> float:
    """Feedback records a day of an average store (the higher of structure and measure)."""
    derived = len(touchpoint_aspects()) * answers_per_store() + reviews_per_store()
    return max(derived, DEMO_FEEDBACK_PER_STORE)


def derived_topic_rates() -> dict[str, float]:
    """Each aspect's mean negative comments a day in an average store, from the demo's code."""
    answers = answers_per_store()
    rates: dict[str, float] = {}
    for aspects in touchpoint_aspects():
        for aspect in aspects:
            share = answers * NEGATIVE_CLAUSES_PER_ANSWER / len(aspects)
            rates[aspect] = rates.get(aspect, 0.0) + share
    reviews = reviews_per_store()
    for aspect in CHANNEL_ASPECTS["store"]:
        share = reviews * NEGATIVE_CLAUSES_PER_REVIEW / len(CHANNEL_ASPECTS["store"])
        rates[aspect] = rates.get(aspect, 0.0) + share
    return rates


def channel_rates() -> dict[str, float]:
    """Feedback a day per channel in the demo (answers by invitation channel, reviews, …)."""
    per_touchpoint = demo_responses.DAILY_RESPONSES_PER_TOUCHPOINT / 1.5
    touchpoints = [tp for _j, _t, stages in JOURNEYS for _s, tps in stages for tp in tps]
    answers = sum(
        per_touchpoint * (2.0 if tp[1] in ("store", "home") else 1.0) for tp in touchpoints
    )
    items = demo_feedback.ITEMS_PER_DAY
    return {
        "email": 0.65 * answers, "sms": 0.2 * answers, "link": 0.15 * answers,
        "store": 0.5 * items, "social": 0.3 * items, "call_centre": 0.2 * items,
    }  # fmt: skip


def _gamma(rng: np.random.Generator, size: float, shape: tuple[int, ...]) -> np.ndarray:
    return rng.gamma(size, 1 / size, size=shape)


def simulate(
    seed: int,
    days: int = WARM_UP + 365,
    volume: float = 1.0,
    incident: tuple[int, int] | None = None,
    factor: float = 3.0,
) -> Activity:
    """A year of activity at ``volume`` times the demo's; ``incident`` = (row of ``topics``,
    first day): that store's topic has ``factor`` times its complaints for a week, each one
    more piece of feedback of the store."""
    rng = np.random.default_rng(seed)
    stores, rates = demo_stores(), store_topic_rates()
    names = sorted(rates)
    per_store = feedback_per_store()
    weekday = WEEKDAY_VOLUME[np.arange(days) % 7]
    trend = 1.0 + rng.uniform(-0.15, 0.15) * np.arange(days) / 365
    size = rng.lognormal(0.0, 0.3, size=(len(stores), 1))
    traffic = volume * per_store * size * weekday * trend
    feedback = rng.poisson(traffic * _gamma(rng, STORE_DAY_SIZE, traffic.shape))
    shares = np.array([rates[n] / per_store for n in names])
    weak = rng.choice(len(stores), 3, replace=False)
    complaint = np.ones((len(stores), 1))
    complaint[weak] = 2.0  # three weak stores with twice the complaints, as in the demo
    share = (complaint * shares).reshape(-1, 1) * _gamma(
        rng, TOPIC_DAY_SIZE, (len(stores) * len(names), days)
    )
    store_of_row = np.repeat(np.arange(len(stores)), len(names))
    topics = rng.binomial(feedback[store_of_row], np.minimum(share, 1.0))
    other = feedback[store_of_row] - topics
    if incident is not None:
        row, first = incident
        week = slice(first, first + 7)
        extra = rng.poisson((factor - 1) * share[row, week] * feedback[store_of_row[row], week])
        topics[row, week] += extra
    channels, others = _channels(rng, days, volume, weekday * trend)
    return Activity(
        topics=topics.astype(float), store_feedback=other.astype(float),
        channels=channels, other_channels=others,
        series=[(store, name) for store in stores for name in names],
    )  # fmt: skip


def _channels(
    rng: np.random.Generator, days: int, volume: float, pattern: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    rates = np.array(list(channel_rates().values()))[:, None]
    company = _gamma(rng, STORE_DAY_SIZE, (1, days))
    mean = volume * rates * pattern * company * _gamma(rng, TOPIC_DAY_SIZE, (len(rates), days))
    counts = rng.poisson(mean).astype(float)
    return counts, counts.sum(axis=0) - counts
