"""Language detection: supported languages, unsupported ones and undetermined input."""

import pytest

from pulso.textanalytics.engine.language import LanguageDetector
from pulso.textanalytics.engine.normalize import tokenize


@pytest.mark.parametrize(
    ("text", "code", "supported"),
    [
        ("El pedido llegó tarde y nadie me avisó del retraso", "es", True),
        ("Muy bien todo", "es", True),
        ("The parcel arrived late and nobody told me", "en", True),
        ("Muito obrigado pelo atendimento, chegou rápido", "pt", True),
        ("Le colis est arrivé en retard et personne ne m'a prévenu", "fr", False),
        ("Die Lieferung kam zu spät und niemand hat mich informiert", "de", False),
        ("", "und", False),
        ("😀😀👍", "und", False),
        ("ok", "und", False),
        ("!!! ??? 123", "und", False),
    ],
)
def test_detect(text: str, code: str, supported: bool) -> None:
    guess = LanguageDetector().detect(text, tokenize(text))
    assert (guess.code, guess.supported) == (code, supported)


def test_short_ambiguous_spanish_falls_back_to_deployment_language() -> None:
    detector = LanguageDetector(default="es")
    for text in ["Genial", "Perfecto", "Excelente"]:
        assert detector.detect(text).code == "es", text


def test_long_text_fast_path_agrees_with_model() -> None:
    text = (
        "La atención en la tienda fue muy buena y el pedido llegó a tiempo, pero la "
        "factura tenía un error y tuve que llamar dos veces para que lo corrigieran. "
    ) * 3
    detector = LanguageDetector()
    assert detector.detect(text, tokenize(text)).code == detector.detect(text).code == "es"
