"""Personal details inside free text: found and masked for people who may not see them.

Customers write their email, phone number, ID number, IBAN or card number into comments
("llamadme al 612 345 678", "mi DNI es 12345678Z"). :func:`mask` replaces each with a label in
brackets (``[email]``, ``[teléfono]``…), keeping the rest of the comment readable. Detection
favours masking: a number that looks like a phone number is masked even if it was an order
number, but prices, dates, times and short numbers are left alone. ID numbers with a check
character (DNI/NIE letter, RUT digit, IBAN mod 97, card Luhn) are masked only when it checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# An IBAN: two letters, two check digits, then 11–30 letters or digits in groups of up to four.
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", re.I)
# Card numbers: 13–19 digits, optionally in groups separated by spaces or dashes.
CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
DNI = re.compile(r"\b(\d{8})[ -]?([A-Z])\b", re.I)
NIE = re.compile(r"\b([XYZ])[ -]?(\d{7})[ -]?([A-Z])\b", re.I)
CURP = re.compile(r"\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HM][A-Z]{5}[A-Z\d]\d\b", re.I)
RUT = re.compile(r"\b(\d{1,2}\.?\d{3}\.?\d{3})-([\dkK])\b")
# Phone numbers: an optional +country code, then 9–12 digits in groups (spaces, dots, dashes,
# parentheses), as Spanish and Latin-American numbers are written.
PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d(?:[ .-]?\d){7,11}\b")

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _dni_ok(number: str, letter: str) -> bool:
    return DNI_LETTERS[int(number) % 23] == letter.upper()


def _nie_ok(prefix: str, number: str, letter: str) -> bool:
    return _dni_ok(str("XYZ".index(prefix.upper())) + number, letter)


def _rut_ok(body: str, check: str) -> bool:
    digits = [int(d) for d in reversed(body.replace(".", ""))]
    total = sum(d * (2 + k % 6) for k, d in enumerate(digits))
    expected = 11 - total % 11
    return {11: "0", 10: "K"}.get(expected, str(expected)) == check.upper()


def _iban_ok(text: str) -> bool:
    compact = re.sub(r"\s", "", text).upper()
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _luhn_ok(text: str) -> bool:
    digits = [int(d) for d in re.sub(r"\D", "", text)]
    total = 0
    for k, digit in enumerate(reversed(digits)):
        if k % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _replace(
    pattern: re.Pattern[str], label: str, check: Callable[[re.Match[str]], bool]
) -> Callable[[str], str]:
    def apply(text: str) -> str:
        return pattern.sub(lambda m: label if check(m) else m.group(0), text)

    return apply


def _always(match: re.Match[str]) -> bool:
    return True


def mask(text: str) -> str:
    """``text`` with every email, phone number, ID number, IBAN and card number replaced by a
    label naming what was there."""
    if not text:
        return text
    steps = [
        _replace(EMAIL, _("[email]"), _always),
        _replace(IBAN, _("[IBAN]"), lambda m: _iban_ok(m.group(0))),
        _replace(CARD, _("[card]"), lambda m: _luhn_ok(m.group(0))),
        _replace(NIE, _("[ID number]"), lambda m: _nie_ok(*m.groups())),
        _replace(DNI, _("[ID number]"), lambda m: _dni_ok(*m.groups())),
        _replace(CURP, _("[ID number]"), _always),
        _replace(RUT, _("[ID number]"), lambda m: _rut_ok(*m.groups())),
        _replace(PHONE, _("[phone]"), _always),
    ]
    for step in steps:
        text = step(text)
    return text


def has_personal_data(text: str) -> bool:
    return mask(text) != text


def mask_contact(value: str) -> str:
    """A name, email or phone number reduced to a hint: ``a•••@example.com``, ``••• •• 78``,
    ``A•••``; empty stays empty."""
    if not value:
        return value
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}•••@{domain}"
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 6:
        return f"••• •• {digits[-2:]}"
    return f"{value[:1]}•••"
