"""Customer files into clean rows (reading the file itself is :mod:`pulso.core.files`).

Pure computation: nothing here touches the database. :func:`detect_mapping` guesses which
column holds which field from headers in Spanish or English; :func:`clean_row` validates one row
and says why it is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulso.core.files import match_headers, normalise_header
from pulso.core.mapping import apply_mapping, is_placeholder

# Target field → header spellings (compared without accents, case, spaces or punctuation).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": (
        "externalid", "id", "cliente", "idcliente", "clienteid", "customerid", "customer",
        "codigo", "codigocliente", "numcliente", "numerocliente", "customernumber", "ref",
    ),
    "name": ("nombre", "name", "nombrecompleto", "fullname", "nombreyapellidos", "customername"),
    "email": ("email", "correo", "correoelectronico", "mail", "emailaddress", "direccionemail"),
    "phone": ("telefono", "phone", "movil", "mobile", "tel", "celular", "phonenumber", "sms"),
    "language": ("idioma", "language", "lang", "lengua", "locale"),
    "segment": ("segmento", "segment", "tipocliente", "customersegment"),
    "value": ("valor", "value", "valorcliente", "customervalue", "clv", "valoranual"),
    "consent_to_contact": (
        "consentimiento", "consent", "consenttocontact", "aceptacontacto", "optin",
        "permitecontacto", "rgpd", "gdpr",
    ),
}  # fmt: skip

FIELD_LABELS = {
    "external_id": gettext_lazy("External id"),
    "name": gettext_lazy("Name"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "language": gettext_lazy("Language"),
    "segment": gettext_lazy("Segment"),
    "value": gettext_lazy("Customer value"),
    "consent_to_contact": gettext_lazy("Consent to contact"),
}

LANGUAGES = {
    "es": "es", "esp": "es", "espanol": "es", "spanish": "es", "castellano": "es",
    "en": "en", "eng": "en", "ingles": "en", "english": "en",
}  # fmt: skip
TRUE_WORDS = {"1", "si", "s", "yes", "y", "true", "verdadero", "x", "ok", "acepta"}
FALSE_WORDS = {"0", "no", "n", "false", "falso", "rechaza"}


@dataclass
class CleanRow:
    number: int
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class RowError:
    row: int
    reason: str


def detect_mapping(headers: list[str]) -> dict[str, int]:
    """Target field → column index for headers spelled exactly as one of a field's aliases
    (see :func:`match_headers`); nothing is guessed from words a header merely contains."""
    return match_headers(headers, HEADER_ALIASES)


def complete_mapping(headers: list[str], explicit: dict[str, Any]) -> dict[str, int]:
    """The exact-alias mapping with an explicit one applied ({column or #N: field or null})."""
    return apply_mapping(headers, detect_mapping(headers), explicit, list(FIELD_LABELS))


def clean_row(number: int, cells: list[str], mapping: dict[str, int]) -> CleanRow | RowError:
    """Validate one row; fields missing from the mapping or blank in the row are left out."""
    if any(_has_bad_bytes(cell) for cell in cells):
        return RowError(number, _("bad encoding: the row has characters that cannot be read"))
    raw = {
        target: cells[index].strip() if index < len(cells) else ""
        for target, index in mapping.items()
    }
    raw = {target: "" if is_placeholder(value) else value for target, value in raw.items()}
    if not raw.get("external_id"):
        return RowError(number, _("missing customer id"))
    fields: dict[str, Any] = {}
    reasons = []
    for target, value in raw.items():
        if not value:
            continue
        try:
            fields[target] = CLEANERS.get(target, _clean_text(target))(value)
        except ValueError as exc:
            reasons.append(str(exc))
    if reasons:
        return RowError(number, "; ".join(reasons))
    return CleanRow(number, fields)


def _has_bad_bytes(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)  # escaped bytes, lone halves


def _clean_text(target: str) -> Any:
    limits = {"external_id": 100, "name": 200, "segment": 60}

    def clean(value: str) -> str:
        if len(value) > limits.get(target, 200):
            raise ValueError(
                _("%(field)s is too long (at most %(max)s characters)")
                % {"field": FIELD_LABELS[target], "max": limits.get(target, 200)}
            )
        return value

    return clean


def clean_email(value: str) -> str:
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValueError(_("bad email “%(value)s”") % {"value": value}) from exc
    return email


def clean_phone(value: str) -> str:
    """Keep a leading + and the digits; 7 to 15 digits (E.164) are accepted."""
    compact = re.sub(r"[\s\-.()/]", "", value)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    digits = compact.removeprefix("+")
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise ValueError(_("bad phone “%(value)s”") % {"value": value})
    return compact


def clean_language(value: str) -> str:
    code = LANGUAGES.get(normalise_header(value.split("-")[0].split("_")[0]))
    if code is None:
        raise ValueError(_("unknown language “%(value)s” (use es or en)") % {"value": value})
    return code


def clean_value(value: str) -> Decimal:
    text = value.replace("€", "").replace(" ", "").strip()
    if "," in text and "." in text:  # 1.234,56 or 1,234.56: the last one is the decimal mark
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("bad customer value “%(value)s”") % {"value": value}) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise ValueError(_("bad customer value “%(value)s”") % {"value": value})
    return number.quantize(Decimal("0.01"))


def clean_consent(value: str) -> bool:
    word = normalise_header(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("consent must be yes or no, not “%(value)s”") % {"value": value})


CLEANERS: dict[str, Any] = {
    "email": clean_email,
    "phone": clean_phone,
    "language": clean_language,
    "value": clean_value,
    "consent_to_contact": clean_consent,
}
