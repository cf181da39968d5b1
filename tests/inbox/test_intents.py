from __future__ import annotations

import pytest

from pulso.inbox.intents import IntentClassifier
from pulso.inbox.signals import sounds_upset, wants_person

TRAIN = {
    "horario": ["a qué hora abrís", "horario de la tienda", "abrís el domingo", "cuándo cerráis"],
    "devolver": [
        "quiero devolver algo",
        "cómo hago una devolución",
        "devolver sin ticket",
        "plazo para devolver",
    ],  # fmt: skip
    "envio": [
        "cuánto tarda el envío",
        "cuándo llega mi pedido",
        "envío gratis",
        "coste del envío",
    ],  # fmt: skip
}


def _fitted() -> IntentClassifier:
    texts = [t for examples in TRAIN.values() for t in examples]
    intents = [intent for intent, examples in TRAIN.items() for _ in examples]
    return IntentClassifier().fit(texts, intents)


def test_classifier_finds_the_intent_of_unseen_wordings() -> None:
    guesses = _fitted().guess(["¿a qué hora cerráis hoy?", "mi pedido no llega", "devolución"])
    assert [g.intent for g in guesses] == ["horario", "envio", "devolver"]
    assert all(0 < g.confidence <= 1 for g in guesses)


def test_probabilities_sum_to_one_per_question() -> None:
    proba = _fitted().probabilities(["hola", "envío"])
    assert proba.shape == (2, 3)
    assert proba.sum(axis=1) == pytest.approx([1.0, 1.0])


def test_classifier_needs_two_intents() -> None:
    with pytest.raises(ValueError):
        IntentClassifier().fit(["a", "b"], ["x", "x"])


@pytest.mark.parametrize(
    "text",
    [
        "Quiero hablar con una persona",
        "¿Me pasas con un agente?",
        "QUIERO UN HUMANO",
        "Can I talk to a real person?",
        "Prefiero atención al cliente",
    ],  # fmt: skip
)
def test_asking_for_a_person(text: str) -> None:
    assert wants_person(text)


@pytest.mark.parametrize("text", ["¿A qué hora abrís?", "Las personas mayores tienen descuento?"])
def test_not_asking_for_a_person(text: str) -> None:
    assert not wants_person(text)


@pytest.mark.parametrize(
    "text", ["Esto es una vergüenza", "Estoy harta de esperar", "ES INACEPTABLE LO QUE HACÉIS"]
)
def test_upset_customers(text: str) -> None:
    assert sounds_upset(text)


def test_calm_customers() -> None:
    assert not sounds_upset("Hola, ¿cuánto tarda el envío a Bilbao?")
