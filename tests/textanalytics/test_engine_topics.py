"""Topic rule language: parsing, errors, boolean/NEAR semantics, accent and stem matching."""

import pytest

from pulso.textanalytics.engine.normalize import Document
from pulso.textanalytics.engine.taxonomy_default import DEFAULT_TAXONOMY, default_taxonomy
from pulso.textanalytics.engine.topics import RuleSyntaxError, Taxonomy, parse_rule, validate_rule


def matches(rule: str, text: str, language: str = "es") -> bool:
    taxonomy = Taxonomy.from_dicts([{"slug": "t", "rules": {language: rule}}])
    return bool(taxonomy.find(Document(text), language))


@pytest.mark.parametrize(
    ("rule", "position", "reason"),
    [
        ("(entrega OR envio", 0, "unbalanced '('"),
        ("entrega OR envio)", 16, "unbalanced ')'"),
        ('"cobro indebido', 0, "unterminated quoted phrase"),
        ("entrega AND", 11, "rule ends where a term"),
        ("NOT precio", 0, "at least one term that is not negated"),
        ("ins*tal", 0, "'*' only at the end"),
        ("in*", 0, "wildcard needs at least 3 letters"),
        ("entrega NEAR/3 NOT tarde", 8, "NEAR cannot take a NOT operand"),
        ("", 0, "empty rule"),
        ("entrega OR OR envio", 11, "unexpected 'OR'"),
    ],
)
def test_invalid_rules_report_position_and_reason(rule: str, position: int, reason: str) -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        parse_rule(rule)
    assert caught.value.position == position
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"position {position}:")


def test_valid_rules_parse() -> None:
    for rule in [
        "instal* AND NOT precio",
        '"cobro indebido" OR (cobr* NEAR/3 doble)',
        "entrega tarde",
        '(a OR b) AND (c OR "d e")',
    ]:
        assert validate_rule(rule) is None


def test_stem_and_accent_matching() -> None:
    rule = "instalación"
    for text in ["La instalacion fue rápida", "Las instalaciones", "INSTALACIÓN perfecta"]:
        assert matches(rule, text), text
    assert not matches(rule, "El pedido llegó tarde")


def test_wildcard_matches_word_family() -> None:
    for text in ["vinieron a instalar", "el instalador", "instalación", "instalaciones"]:
        assert matches("instal*", text), text


def test_boolean_operators() -> None:
    assert matches("entrega AND tarde", "la entrega llegó tarde")
    assert not matches("entrega AND tarde", "la entrega llegó pronto")
    assert matches("entrega OR envio", "el envío")
    assert matches("entrega NOT roto", "la entrega perfecta")
    assert not matches("entrega AND NOT roto", "la entrega llegó rota")  # rota -> stem rot
    assert matches("entrega tarde", "tarde llegó la entrega")  # adjacent terms are AND-ed


def test_near_respects_distance() -> None:
    rule = "cobr* NEAR/3 doble"
    assert matches(rule, "me cobraron el doble")
    assert not matches(rule, "me cobraron la factura de este mes por lo que pago el doble")


def test_phrase_needs_consecutive_words() -> None:
    assert matches('"cobro indebido"', "reclamo un cobro indebido en mi cuenta")
    assert not matches('"cobro indebido"', "el cobro fue indebido")


def test_taxonomy_validation_errors_name_the_topic() -> None:
    with pytest.raises(ValueError, match="topic 'x' \\(es\\): position 0"):
        Taxonomy.from_dicts([{"slug": "x", "rules": {"es": "(a"}}])
    with pytest.raises(ValueError, match="unknown parent"):
        Taxonomy.from_dicts([{"slug": "x", "parent": "y", "rules": {"es": "a"}}])


def test_default_taxonomy_is_plain_data_and_complete() -> None:
    slugs = {item["slug"] for item in DEFAULT_TAXONOMY}
    for required in [
        "personal",
        "espera",
        "entrega",
        "entrega-retraso",
        "entrega-danos",
        "instalacion",
        "precio",
        "calidad-producto",
        "facturacion",
        "facturacion-cobro-indebido",
        "garantia-devoluciones",
        "web-app",
        "tienda",
        "comunicacion",
        "seguro",
        "baja",
    ]:
        assert required in slugs
    assert all(set(item["rules"]) == {"es", "en"} for item in DEFAULT_TAXONOMY)
    data = default_taxonomy().to_dicts()
    assert Taxonomy.from_dicts(data).to_dicts() == data


def test_default_taxonomy_finds_topics_with_clause_sentiment() -> None:
    from pulso.textanalytics.engine.coldstart import LexiconSentiment

    hits = default_taxonomy().match_topics(
        "El técnico fue muy amable, pero me cobraron dos veces la instalación.",
        "es",
        LexiconSentiment("es"),
    )
    by_slug = {h.slug: h for h in hits}
    assert by_slug["facturacion-cobro-indebido"].sentiment == "negative"
    assert by_slug["personal-amabilidad"].sentiment == "positive"
    assert "amable" in by_slug["personal-amabilidad"].sentence
    english = default_taxonomy().match_topics("My parcel never arrived", "en")
    assert {"entrega", "entrega-retraso"} <= {h.slug for h in english}
