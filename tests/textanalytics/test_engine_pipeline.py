"""Analyzer end to end, clean-up helpers, and robustness against bad input."""

import pytest

from pulso.textanalytics.engine.keyphrases import key_phrases
from pulso.textanalytics.engine.normalize import (
    MAX_CHARS,
    clean_text,
    fix_mojibake,
    fold,
    marks,
    split_sentences,
    stem,
    strip_html,
    tokenize,
)
from pulso.textanalytics.engine.pipeline import (
    REASON_EMPTY,
    REASON_NO_LANGUAGE,
    REASON_UNSUPPORTED,
    Analyzer,
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def test_mojibake_and_html_are_repaired() -> None:
    assert fix_mojibake("La instalaciÃ³n fue rÃ¡pida") == "La instalación fue rápida"
    assert fix_mojibake("Ã‘andÃº â€œbienâ€\x9d") == "Ñandú “bien”"
    assert fix_mojibake("Él está aquí") == "Él está aquí"  # clean text is left alone
    assert strip_html("<p>Hola&nbsp;<b>mundo</b><script>x()</script></p>").split() == [
        "Hola",
        "mundo",
    ]


def test_fold_tokenize_stem() -> None:
    assert fold("ÑANDÚ Instalación") == "nandu instalacion"
    assert tokenize("¡La instalación, rápida!") == ["la", "instalacion", "rapida"]
    assert stem("instalaciones", "es") == stem("instalacion", "es") == "instal"
    assert split_sentences("Buena comida, pero lenta. ¿Volveré?") == [
        "Buena comida",
        "pero lenta.",
        "¿Volveré?",
    ]


def test_analyze_spanish_comment(analyzer: Analyzer) -> None:
    result = analyzer.analyze(
        "La entrega llegó tarde y la caja venía rota. El repartidor, muy amable."
    )
    assert result.analysed and result.language == "es" and result.supported
    topics = dict(result.topics)
    assert topics["entrega-retraso"] == "negative"
    assert topics["personal-amabilidad"] == "positive"
    assert result.key_phrases and len(result.key_phrases) <= 3


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, REASON_EMPTY),
        ("", REASON_EMPTY),
        ("   \n\t", REASON_EMPTY),
        ("😀😀😀👍", REASON_NO_LANGUAGE),
        ("<p></p>", REASON_EMPTY),
        ("Le colis est arrivé en retard et cassé", REASON_UNSUPPORTED),
    ],
)
def test_unanalysable_input_is_reported_not_raised(
    analyzer: Analyzer, raw: str | None, reason: str
) -> None:
    result = analyzer.analyze(raw)
    assert not result.analysed and result.reason == reason and result.sentiment is None


def test_huge_html_mojibake_and_mixed_input_never_crash(analyzer: Analyzer) -> None:
    huge = "El pedido llegó tarde y roto. " * 1100  # ~33,000 characters
    results = analyzer.analyze_many(
        [
            huge,
            "<div><b>Pésimo</b> servicio &amp; atención</div>",
            "La instalaciÃ³n fue un desastre",
            b"bytes con \xc3\xb1 y \xff basura",
            "Great product but la entrega fue muy lenta",
            "\x00\x01 control chars y texto normal sobre la factura",
        ]
    )
    assert results[0].truncated and results[0].analysed and results[0].sentiment == "negative"
    assert len(clean_text(huge)) == MAX_CHARS
    assert results[1].sentiment == "negative"
    assert "instalacion" in dict(results[2].topics)
    assert all(r.language for r in results)


def test_key_phrases_skip_stopwords() -> None:
    phrases = key_phrases(
        "El servicio de habitaciones tardó dos horas y el aire acondicionado no funcionaba.", "es"
    )
    assert "servicio de habitaciones" in phrases
    assert all(p.split()[0] not in {"el", "de", "y"} for p in phrases)


def test_trained_model_replaces_cold_start(analyzer: Analyzer) -> None:
    class Always:
        language = "es"

        def predict(self, texts: list[str]) -> list[tuple[str, float]]:
            return [("positive", 0.5) for _ in texts]

    custom = Analyzer(models={"es": Always()})
    assert custom.analyze("El pedido llegó roto").sentiment == "positive"
    assert analyzer.analyze("El pedido llegó roto").sentiment == "negative"


def test_document_tokenises_once_for_every_stage() -> None:
    from pulso.textanalytics.engine.normalize import Document

    doc = Document("No, la habitación (la 12) no estaba limpia; pero el desayuno ¡genial!")
    assert doc.sentences == split_sentences(doc.text)
    assert doc.tokens == [t for s in doc.sentences for t in tokenize(s)]
    assert doc.marks[0] == [
        "no",
        ",",
        "la",
        "habitacion",
        "(",
        "la",
        "12",
        ")",
        "no",
        "estaba",
        "limpia",
    ]
    assert [doc.sentences[i] for i in sorted(set(doc.token_sentence))] == doc.sentences
    assert tokenize("Don't") == ["don", "t"]  # same split as in documents
    # non-Latin text takes the regex path and still lines up
    assert Document("Привет, мир. Hola").tokens == ["привет", "мир", "hola"]


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        # a concession's comma is the only cut
        ("Aunque tardó, la comida estaba rica.", ["Aunque tardó", "la comida estaba rica."]),
        # subject cuts after a comma and after "y"; a single word before the comma stays
        (
            "No, la cama dura, el baño sucio y la ducha fría",
            ["No, la cama dura", "el baño sucio", "y la ducha fría"],
        ),
        # re.I equates "ı" with "i": the contrast is searched without lower-casing
        ("Buena comıda, pero lenta", ["Buena comıda", "pero lenta"]),
        ("BUENA COMIDA PERO LENTA", ["BUENA COMIDA", "PERO LENTA"]),
        # contrast tokens that start no clause
        ("Mientras tanto, nada", ["Mientras tanto", "nada"]),
        ("la comida, sin más", ["la comida, sin más"]),
    ],
)
def test_document_clauses_and_their_marks(text: str, clauses: list[str]) -> None:
    from pulso.textanalytics.engine.normalize import Document

    doc = Document(text)
    assert doc.sentences == clauses == split_sentences(text)
    assert doc.marks == [marks(fold(clause)) for clause in clauses]
    assert doc.tokens == [t for clause in clauses for t in tokenize(clause)]
