"""Customer-action files (CSV or XLSX) → the raw items the API batch endpoint accepts, so that
files and API batches go through the same validation (:mod:`pulso.customers.action_ingest`).

Reading the file is :mod:`pulso.core.files`; columns are recognised by exact header spellings
in Spanish or English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from pulso.core.dates import parse_export_date
from pulso.core.files import Table, match_headers, normalise_header
from pulso.core.mapping import is_placeholder
from pulso.customers.importing import clean_value

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("id", "externalid", "idaccion", "actionid", "idevento", "eventid",
                    "referencia", "ref", "idoperacion", "operacion", "pedido", "order"),
    "customer": ("cliente", "customer", "idcliente", "customerid", "clienteid",
                 "customerexternalid", "codigocliente"),
    "kind": ("tipo", "kind", "type", "accion", "action", "evento", "event"),
    "occurred_at": ("fecha", "date", "occurredat", "fechahora", "datetime", "timestamp"),
    "amount": ("importe", "amount", "valor", "value", "total", "euros", "revenue", "ingresos"),
    "product": ("producto", "product", "articulo", "item", "sku"),
    "channel": ("canal", "channel"),
    "campaign": ("campana", "campaign", "campanya"),
    "org_unit": ("unidad", "unit", "orgunit", "tienda", "store", "centro", "oficina", "sucursal"),
}  # fmt: skip
REQUIRED = ("external_id", "customer", "kind", "occurred_at")
FIELD_LABELS = {
    "external_id": gettext_lazy("Action id"),
    "customer": gettext_lazy("Customer (external id)"),
    "kind": gettext_lazy("Kind"),
    "occurred_at": gettext_lazy("Date"),
    "amount": gettext_lazy("Amount"),
    "product": gettext_lazy("Product"),
    "channel": gettext_lazy("Channel"),
    "campaign": gettext_lazy("Campaign"),
    "org_unit": gettext_lazy("Org unit (id or code)"),
}
# Spanish and English words for each kind (normalised: no accents, case or spaces).
KIND_WORDS = {
    "compra": "purchase", "venta": "purchase", "purchase": "purchase", "sale": "purchase",
    "renovacion": "renewal", "renewal": "renewal",
    "baja": "cancellation", "cancelacion": "cancellation", "cancellation": "cancellation",
    "churn": "cancellation",
    "reclamacion": "complaint", "queja": "complaint", "complaint": "complaint",
    "contacto": "contact", "contact": "contact",
    "devolucion": "return", "return": "return",
    "campana": "campaign_contacted", "contactadoencampana": "campaign_contacted",
    "campaigncontacted": "campaign_contacted", "campaign": "campaign_contacted",
}  # fmt: skip


def detect_mapping(headers: list[str]) -> dict[str, int]:
    return match_headers(headers, HEADER_ALIASES)


def missing_columns(mapping: Mapping[str, int]) -> list[str]:
    """Labels of the required fields no column holds."""
    return [str(FIELD_LABELS[name]) for name in REQUIRED if name not in mapping]


def _cell(target: str, value: str, date_order: str) -> Any:
    if target == "kind":
        return KIND_WORDS.get(normalise_header(value), value)
    if target == "occurred_at":
        parsed = parse_export_date(value, date_order)
        return parsed.isoformat() if parsed else value
    if target == "amount":
        return str(clean_value(value).copy_abs())
    return value


def row_item(
    cells: list[str], mapping: Mapping[str, int], date_order: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """The raw item of one row, and the reason of each cell that cannot be read, by field."""
    item: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for target, index in mapping.items():
        value = cells[index].strip() if index < len(cells) else ""
        if value and not is_placeholder(value):
            try:
                item[target] = _cell(target, value, date_order)
            except ValueError as exc:
                errors[target] = str(exc)
    return item, errors


def rows_to_items(
    table: Table, mapping: Mapping[str, int], date_order: str = "dmy"
) -> tuple[list[tuple[int, dict[str, Any]]], list[dict[str, Any]]]:
    """(row number, raw item) of each readable row, and the unreadable ones with reasons."""
    items, rejects = [], []
    for number, cells in table.rows:
        item, errors = row_item(cells, mapping, date_order)
        if errors:
            rejects.append({"index": number, "errors": errors})
        else:
            items.append((number, item))
    return items, rejects
