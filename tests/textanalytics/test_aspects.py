"""Aspect-based sentiment: one comment, two aspects of opposite polarity, each scored right.

The sentiment model is the product's own: trained by ``do_retrain_sentiment`` on rated
single-aspect comments (the deployment's feedback), then the generated two-aspect comments
are analysed and stored like any other and their ``AspectSentiment`` rows are checked.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from pulso.textanalytics import actions
from pulso.textanalytics.engine.normalize import Document
from pulso.textanalytics.models import AspectSentiment, TextAnalysis, TopicMention
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db

# topic slug -> (positive wordings, negative wordings); each wording names only its topic.
ASPECTS_ES: dict[str, tuple[list[str], list[str]]] = {
    "personal": (
        [
            "el dependiente fue muy amable",
            "la dependienta nos trató de maravilla",
            "el vendedor fue encantador y nos aconsejó muy bien",
            "el personal estuvo atento en todo momento",
            "la empleada fue simpatiquísima",
            "el asesor resolvió todas mis dudas con paciencia",
        ],
        [
            "el dependiente fue muy borde",
            "la dependienta fue maleducada",
            "el vendedor fue grosero con nosotros",
            "el personal ni nos miró",
            "la empleada fue desagradable",
            "el asesor no tenía ni idea y pasó de mí",
        ],
    ),
    "entrega": (
        [
            "el envío llegó antes de lo previsto",
            "el paquete llegó perfecto y bien embalado",
            "el pedido llegó puntual",
            "la entrega fue impecable",
            "recibí el pedido al día siguiente, genial",
        ],
        [
            "el paquete llegó con una semana de retraso",
            "el pedido nunca llegó completo",
            "la entrega fue un caos",
            "el envío se perdió dos veces",
            "el pedido llegó abierto, una vergüenza",
        ],
    ),
    "precio": (
        [
            "el precio es muy bueno",
            "los precios son muy económicos",
            "tenían una oferta estupenda",
            "el descuento mereció la pena",
        ],
        [
            "el precio es muy caro",
            "los precios son abusivos",
            "la oferta era un engaño",
            "es carísimo, el precio no lo vale",
        ],
    ),
    "calidad-producto": (
        [
            "el producto es de excelente calidad",
            "el material es resistente y bonito",
            "el artículo es justo lo que buscaba",
            "la calidad del producto me sorprendió para bien",
        ],
        [
            "el producto vino defectuoso",
            "la calidad del artículo es pésima",
            "el material es malísimo y se rompe",
            "el producto se estropeó a la semana",
        ],
    ),
    "tienda": (
        [
            "la tienda estaba limpia y ordenada",
            "el local es amplio y agradable",
            "la tienda es preciosa",
        ],
        [
            "la tienda estaba sucia y desordenada",
            "el local daba pena",
            "la tienda es un desastre",
        ],
    ),
    "web-app": (
        [
            "la web es muy fácil de usar",
            "la aplicación va de maravilla",
            "la página web es clara y cómoda",
        ],
        [
            "la aplicación se cuelga constantemente",
            "la web es un desastre y da error",
            "la página web es lentísima e inútil",
        ],
    ),
}
ASPECTS_EN: dict[str, tuple[list[str], list[str]]] = {
    "personal": (
        ["the staff were lovely", "the salesperson was very kind and helpful"],
        ["the staff were rude", "the salesperson was unhelpful and rude"],
    ),
    "entrega": (
        ["the delivery arrived early", "the parcel arrived in perfect condition"],
        ["the delivery was two weeks late", "the parcel arrived damaged"],
    ),
    "precio": (
        ["the price was great", "prices are really cheap"],
        ["the price was outrageous", "it is far too expensive"],
    ),
}
# Two clauses: {a} first, {b} second (capitalised where a sentence starts).
CONNECTORS_ES = [
    "{a}, pero {b}.",
    "{a} pero {b}.",
    "{A}. Sin embargo, {b}.",
    "{A}; sin embargo {b}.",
    "Aunque {a}, {b}.",
    "{A}, aunque {b}.",
    "{A} mientras que {b}.",
    "{A}. {B}.",
    "{A}, en cambio {b}.",
    "{A}. No obstante, {b}.",
    "{A}, {b}.",
    "{A} y {b}.",
    "Si bien {a}, {b}.",
    "{A}... {B}!",
    "La verdad es que {a}, pero {b}.",
]
CONNECTORS_EN = [
    "{A}, but {b}.",
    "Although {a}, {b}.",
    "{A}. However, {b}.",
    "{A} while {b}.",
    "{A}, whereas {b}.",
    "{A}. {B}.",
]
NEUTRAL_ES = ["la compra fue normal", "todo correcto, sin más", "cumplió lo esperado"]
NEUTRAL_EN = ["it was fine", "nothing special", "it was ok"]


def _fill(template: str, a: str, b: str = "") -> str:
    return template.format(a=a, b=b, A=a[:1].upper() + a[1:], B=b[:1].upper() + b[1:])


def two_aspect_comments(n: int, seed: int = 3) -> list[tuple[str, dict[str, str]]]:
    """`n` comments, each praising one aspect and criticising another, in varied wording:
    (text, {topic slug: expected polarity}). About one in six is in English."""
    rng = random.Random(seed)
    out: list[tuple[str, dict[str, str]]] = []
    seen: set[str] = set()
    while len(out) < n:
        english = rng.random() < 1 / 6
        aspects, connectors = (
            (ASPECTS_EN, CONNECTORS_EN) if english else (ASPECTS_ES, CONNECTORS_ES)
        )
        first, second = rng.sample(sorted(aspects), 2)
        good_first = rng.random() < 0.5
        polarity = {first: "positive" if good_first else "negative"}
        polarity[second] = "negative" if good_first else "positive"
        a = rng.choice(aspects[first][0 if good_first else 1])
        b = rng.choice(aspects[second][1 if good_first else 0])
        text = _fill(rng.choice(connectors), a, b)
        if text not in seen:
            seen.add(text)
            out.append((text, polarity))
    return out


def rated_single_aspect_comments(seed: int = 5) -> list[tuple[str, int]]:
    """The deployment's rated feedback: one aspect per comment, its NPS agreeing with it,
    besides the generic rated comments of the other text analytics tests."""
    rng = random.Random(seed)
    rows: list[tuple[str, int]] = []
    for aspects, neutral in ((ASPECTS_ES, NEUTRAL_ES), (ASPECTS_EN, NEUTRAL_EN)):
        repeats = 4 if aspects is ASPECTS_ES else 12
        for positives, negatives in aspects.values():
            for _ in range(repeats):
                # The last wording of each list is left out: the model never saw it.
                for phrase in positives[:-1]:
                    rows.append((_fill("{A}.", phrase), rng.randint(9, 10)))
                for phrase in negatives[:-1]:
                    rows.append((_fill("{A}.", phrase), rng.randint(0, 5)))
        for phrase in neutral:
            rows.extend((_fill("{A}.", phrase), rng.randint(7, 8)) for _ in range(6))
    rows.extend(factories.rated_comments(150))
    rng.shuffle(rows)
    return rows


def test_the_generated_set_is_varied_and_disjoint_from_the_training_comments() -> None:
    comments = two_aspect_comments(240)
    training = {text for text, _ in rated_single_aspect_comments()}
    assert len({text for text, _ in comments}) == 240
    assert not training & {text for text, _ in comments}
    used = {t for t in CONNECTORS_ES + CONNECTORS_EN if any(_matches(t, c) for c, _ in comments)}
    assert len(used) >= 15
    assert all(len(Document(text).sentences) >= 2 for text, _ in comments)


def _matches(template: str, text: str) -> bool:
    head = template.split("{")[0]
    tail = template.split("}")[-1]
    return text.startswith(head) and text.endswith(tail)


def test_aspect_polarity_on_two_aspect_comments(org: Any, settings: Any) -> None:
    settings.PULSO_SENTIMENT_MIN_RATED = 80
    factories.responses(factories.survey(), rated_single_aspect_comments())
    versions = actions.do_retrain_sentiment(rescore=False)
    assert {v.language for v in versions} == {"es", "en"}

    comments = two_aspect_comments(240)
    items = factories.feedback([text for text, _ in comments])
    assert actions.do_analyse_items([item.pk for item in items]) == len(items)

    got: dict[tuple[int, str], str] = {
        (feedback_id, slug): sentiment
        for feedback_id, slug, sentiment in AspectSentiment.objects.values_list(
            "analysis__feedback_id", "topic__slug", "sentiment"
        )
    }
    expected = [
        ((item.pk, slug), polarity)
        for item, (_, wanted) in zip(items, comments, strict=True)
        for slug, polarity in wanted.items()
    ]
    right = sum(got.get(key) == polarity for key, polarity in expected)
    accuracy = right / len(expected)
    misses = [(key, want, got.get(key)) for key, want in expected if got.get(key) != want]
    print(f"aspect polarity accuracy {accuracy:.3f} ({right}/{len(expected)} aspects)")
    assert accuracy >= 0.85, (accuracy, misses[:20])
    # Both aspects of a comment are stored, with the clause that carries each.
    analyses = TextAnalysis.objects.filter(feedback__in=items)
    assert AspectSentiment.objects.filter(analysis__in=analyses).count() >= len(expected)
    assert TopicMention.objects.filter(analysis__in=analyses).count() == (
        AspectSentiment.objects.filter(analysis__in=analyses).count()
    )


def test_an_aspect_keeps_its_clause_and_score(org: Any) -> None:
    (item,) = factories.feedback(["El vendedor fue muy amable, pero el pedido llegó roto."])
    actions.do_analyse_items([item.pk])
    aspects = {a.topic.slug: a for a in AspectSentiment.objects.select_related("topic")}
    assert aspects["personal"].text == "El vendedor fue muy amable"
    assert aspects["personal"].sentiment == "positive" and aspects["personal"].score > 0
    assert "roto" in aspects["entrega"].text and "amable" not in aspects["entrega"].text
    assert aspects["entrega"].sentiment == "negative" and aspects["entrega"].score < 0


def test_topic_scores_count_each_aspect_by_its_own_polarity(org: Any) -> None:
    from pulso.textanalytics import overview
    from pulso.textanalytics.models import Topic

    factories.feedback(
        [
            "El vendedor fue muy amable, pero el pedido llegó roto.",
            "El pedido llegó tarde y el vendedor fue grosero.",
        ]
    )
    actions.do_analyse_pending()
    counts = overview.topic_counts(TextAnalysis.objects.all())
    personal = counts[Topic.objects.get(slug="personal").pk]
    entrega = counts[Topic.objects.get(slug="entrega").pk]
    assert personal["positive"] == 1 and personal["negative"] == 1 and personal["net"] == 0
    assert entrega["negative"] == 2 and entrega["net"] == -100


def test_erasing_a_customer_redacts_their_aspect_clauses(org: Any) -> None:
    from pulso.customers.erasure import Erasure
    from pulso.feedback.models import Feedback
    from pulso.textanalytics.erasure import erase_aspect_clauses
    from tests.factories import CustomerFactory

    customer = CustomerFactory()
    item = Feedback.objects.create(
        source="review",
        customer=customer,
        text="El vendedor Arturo Pizarro fue muy amable, pero el pedido llegó roto.",
    )
    actions.do_analyse_items([item.pk])
    erasure = Erasure(customer.pk, ["Arturo Pizarro"])
    erase_aspect_clauses(erasure)
    texts = list(AspectSentiment.objects.values_list("text", flat=True))
    assert texts and not any("Pizarro" in text for text in texts)
    assert erasure.counts["textanalytics.aspectsentiment"] >= 1
