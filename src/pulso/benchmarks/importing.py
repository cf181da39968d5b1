"""Reference values from a CSV/XLSX file or an API batch: one set of rules, errors per row.

Files are read by :mod:`pulso.core.files` (UTF-8 or Latin-1/Windows-1252, any common
delimiter); columns are recognised by their header in Spanish or English. Numbers may be
written with a decimal comma ("41,5"), dates as day/month/year or ISO. Each row is checked on
its own: good rows are stored, bad ones reported with a reason per field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pulso.benchmarks.models import ReferenceValue
from pulso.core.dates import parse_export_date
from pulso.core.files import Table, match_headers, normalise_header
from pulso.core.text import has_lone_surrogates
from pulso.journeys.models import Channel, InteractionType

MAX_ROWS = 5_000

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "metric": ("metrica", "metric", "indicador", "kpi"),
    "sector": ("sector", "industria", "industry"),
    "interaction_type": ("tipodeinteraccion", "interaccion", "interactiontype", "interaction",
                         "tipo"),
    "channel": ("canal", "channel"),
    "label": ("puntodecontacto", "touchpoint", "etiqueta", "label", "ambito"),
    "value": ("valor", "value", "resultado", "puntuacion", "score"),
    "base_n": ("base", "n", "basen", "muestra", "tamanodemuestra", "sample", "samplesize"),
    "source": ("fuente", "source", "origen"),
    "published_on": ("fecha", "date", "fechadepublicacion", "publicado", "published"),
    "notes": ("notas", "notes", "observaciones", "comentarios"),
}  # fmt: skip
REQUIRED = ("metric", "sector", "value", "source", "published_on")
FIELD_LABELS = {
    "metric": gettext_lazy("Metric"),
    "sector": gettext_lazy("Sector"),
    "value": gettext_lazy("Value"),
    "source": pgettext_lazy("reference value", "Source"),
    "published_on": gettext_lazy("Date"),
}
TEXT_LIMITS = {"sector": 120, "label": 150, "source": 200, "notes": 2000}
VALUE_RANGES = {"nps": (-100.0, 100.0), "csat": (0.0, 100.0), "ces": (0.0, 100.0)}
THOUSANDS = re.compile(r"^\d{1,3}([.\s]\d{3})+$")


def detect_mapping(headers: list[str]) -> dict[str, int]:
    return match_headers(headers, HEADER_ALIASES)


def missing_columns(mapping: Mapping[str, int]) -> list[str]:
    return [str(FIELD_LABELS[name]) for name in REQUIRED if name not in mapping]


def row_items(table: Table, mapping: Mapping[str, int]) -> list[tuple[int, dict[str, Any]]]:
    """(row number, raw item) of each row: cells by field, blanks left out."""
    items = []
    for number, cells in table.rows:
        item = {
            name: cells[index].strip()
            for name, index in mapping.items()
            if index < len(cells) and cells[index].strip()
        }
        items.append((number, item))
    return items


CHOICES: dict[str, list[tuple[str, Any]]] = {
    "metric": ReferenceValue.Metric.choices,
    "interaction_type": InteractionType.choices,
    "channel": Channel.choices,
}


@lru_cache(maxsize=8)
def _names(field: str) -> dict[str, str]:
    """Every spelling of each choice (its code, its Spanish and English names) → its code."""
    names: dict[str, str] = {}
    for code, label in CHOICES[field]:
        names[normalise_header(code)] = code
        for language in ("es", "en"):
            with translation.override(language):
                names[normalise_header(str(label))] = code
    return names


def _choice(field: str, value: Any) -> str:
    """The code of a choice written as its code or its Spanish or English name."""
    found = _names(field).get(normalise_header(str(value)))
    if found is None:
        raise ValueError(_("unknown value “%(value)s”") % {"value": value})
    return found


def parse_number(value: Any) -> float:
    """A number as files write it: "41,5", "41.5", "-12", "85 %"."""
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number") % {"value": value})
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).replace("%", "").replace("\u00a0", "").replace(" ", "")
        if "," in text and "." in text:  # 1.234,5 or 1,234.5: the last mark is the decimal one
            text = text.replace("." if text.rfind(",") > text.rfind(".") else ",", "")
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise ValueError(_("“%(value)s” is not a number") % {"value": value}) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(_("“%(value)s” is not a number") % {"value": value})
    return number


def parse_base(value: Any) -> int:
    """A number of answers: a whole number of at least 1 ("1.200" is twelve hundred)."""
    text = str(value).strip()
    if THOUSANDS.match(text):
        text = re.sub(r"[.\s]", "", text)
    number = parse_number(text)
    if number < 1 or number != int(number) or number > 100_000_000:
        raise ValueError(
            _("the base must be a whole number of answers, not “%(value)s”") % {"value": value}
        )
    return int(number)


def parse_day(value: Any) -> dt.date:
    try:
        parsed = parse_export_date(str(value), "dmy")
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(
            _("“%(value)s” is not a date (write it as dd/mm/yyyy or yyyy-mm-dd)") % {"value": value}
        )
    return parsed.date()


def clean_item(raw: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields of a reference from a raw item, and the reason of each field at fault."""
    if not isinstance(raw, dict):
        return {}, {"item": _("Each item must be an object.")}
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in ("metric", "sector", "source", "published_on", "value"):
        if _blank(raw.get(name)):
            errors[name] = _("This field is required.")
    for name in (*HEADER_ALIASES, *(k for k in raw if k not in HEADER_ALIASES)):
        if name in errors or _blank(raw.get(name)):
            continue
        try:
            clean[name] = _field(name, raw[name])
        except ValueError as exc:
            errors[name] = str(exc)
    _check_range(clean, errors)
    return clean, errors


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _field(name: str, value: Any) -> Any:
    if isinstance(value, str) and has_lone_surrogates(value):
        raise ValueError(_("badly encoded text: save the file as UTF-8 and import it again"))
    if name in CHOICES:
        return _choice(name, value)
    if name == "value":
        return parse_number(value)
    if name == "base_n":
        return parse_base(value)
    if name == "published_on":
        return parse_day(value)
    if name in TEXT_LIMITS:
        text = str(value).strip()
        if len(text) > TEXT_LIMITS[name]:
            raise ValueError(_("at most %(max)s characters") % {"max": TEXT_LIMITS[name]})
        return text
    raise ValueError(_("unknown field"))


def _check_range(clean: dict[str, Any], errors: dict[str, str]) -> None:
    if "value" not in clean or "metric" not in clean:
        return
    low, high = VALUE_RANGES[clean["metric"]]
    if not low <= clean["value"] <= high:
        errors["value"] = _("a %(metric)s must lie between %(low)s and %(high)s") % {
            "metric": clean["metric"].upper(),
            "low": f"{low:g}",
            "high": f"{high:g}",
        }
