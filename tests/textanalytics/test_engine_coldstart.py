"""Cold-start lexicon analyser: clear cases, negation, intensifiers and contrast in es/en."""

import pytest

from pulso.textanalytics.engine.coldstart import LexiconSentiment, VaderSentiment, cold_start


@pytest.mark.parametrize(
    ("language", "text", "label"),
    [
        ("es", "El personal muy amable y la entrega rápida", "positive"),
        ("es", "Excelente atención, lo recomiendo", "positive"),
        ("es", "No me gustó nada", "negative"),
        ("es", "El pedido nunca llegó, una estafa", "negative"),
        ("es", "Me cobraron de más y nadie contesta", "negative"),
        ("es", "No funciona la app", "negative"),
        ("es", "La tienda es bonita pero el trato fue pésimo", "negative"),
        ("es", "Hice el pedido el martes", "neutral"),
        ("en", "Great service, very friendly staff", "positive"),
        ("en", "I didn't like it at all", "negative"),
        ("en", "It never arrived. Terrible.", "negative"),
        ("en", "I ordered on Tuesday", "neutral"),
        ("pt", "Atendimento excelente, muito rápido", "positive"),
        ("pt", "Não funciona, péssimo", "negative"),
    ],
)
def test_clear_cases(language: str, text: str, label: str) -> None:
    assert LexiconSentiment(language).predict([text])[0][0] == label


def test_negation_flips_and_intensifier_strengthens() -> None:
    es = LexiconSentiment("es")
    assert es.score("no es malo") > 0 > es.score("es malo")
    assert es.score("muy amable") > es.score("amable") > 0
    assert es.score("poco amable") < es.score("amable")


def test_scores_are_bounded() -> None:
    es = LexiconSentiment("es")
    assert -1 < es.score("pésimo horrible terrible estafa " * 50) < -0.9
    assert es.score("") == 0.0


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(ValueError, match="no cold-start lexicon"):
        LexiconSentiment("fr")


def test_cold_start_picks_vader_for_english_and_the_lexicon_otherwise() -> None:
    english = cold_start("en")
    assert isinstance(english, VaderSentiment)
    texts = ["Great service, very friendly staff", "It never arrived. Terrible.", "I ordered"]
    labels = [label for label, _ in english.predict(texts)]
    assert labels == ["positive", "negative", "neutral"]
    assert isinstance(cold_start("es"), LexiconSentiment)
    assert cold_start("fr") is None
