"""Brands named in a mention: whole words, whatever the case and accents."""

from __future__ import annotations

import pytest

from pulso.reputation.matching import compile_brands, named_brands

BRANDS = compile_brands([(1, ["Pizzería Roma", "La Roma"]), (2, ["Telepizza"]), (3, ["  "])])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mejor que PIZZERIA   roma, sin duda", {1}),
        ("pedí en la roma y en Telepizza.", {1, 2}),
        ("«Pizzería Roma»: ¡genial!", {1}),
        ("pizzeriaromana no es lo mismo", set()),
        ("telepizzas por todas partes", set()),
        ("Nada que ver", set()),
    ],
)
def test_names_match_as_whole_words_without_case_or_accents(text: str, expected: set) -> None:
    assert named_brands(text, BRANDS) == expected


def test_a_brand_without_any_name_never_matches() -> None:
    assert [brand_id for brand_id, _pattern in BRANDS] == [1, 2]
