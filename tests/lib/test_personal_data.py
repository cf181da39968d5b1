"""Personal details found and masked in free text; ordinary numbers left alone."""

from __future__ import annotations

import pytest
from django.utils import translation

from pulso.lib.personal_data import has_personal_data, mask, mask_contact


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Escribidme a ana.perez+cx@gmail.com", "Escribidme a [email]"),
        ("llamadme al 612 345 678 por favor", "llamadme al [phone] por favor"),
        ("o al +34 912-345-678", "o al [phone]"),
        ("celular (55) 1234 5678", "celular [phone]"),
        ("mi DNI es 12345678Z.", "mi DNI es [ID number]."),
        ("NIE X1234567L", "NIE [ID number]"),
        ("CURP GODE561231HDFRRN09", "CURP [ID number]"),
        ("RUT 12.345.678-5", "RUT [ID number]"),
        ("IBAN ES91 2100 0418 4502 0005 1332", "IBAN [IBAN]"),
        ("tarjeta 4111 1111 1111 1111", "tarjeta [card]"),
    ],
)
def test_each_kind_of_personal_detail_is_masked(text: str, masked: str) -> None:
    assert mask(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "Pagué 49,99 € el 12/03/2024 a las 10:30, pedido 12345",
        "Esperé 45 minutos en la caja 3",
    ],
)
def test_prices_dates_times_and_short_numbers_stay(text: str) -> None:
    assert mask(text) == text and not has_personal_data(text)


def test_id_numbers_with_a_wrong_check_character_are_not_taken_for_ids() -> None:
    assert "[ID number]" not in mask("DNI 12345678A y RUT 12.345.678-9")


def test_contact_details_keep_a_hint() -> None:
    assert mask_contact("ana.perez@gmail.com") == "a•••@gmail.com"
    assert mask_contact("+34 612 345 678") == "••• •• 78"
    assert mask_contact("Ana Pérez") == "A•••"
    assert mask_contact("") == ""
