"""CSV (streamed) and XLSX exports of the explorer's filtered rows."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from pulso.core.csvstream import csv_download
from pulso.core.text import clean_text
from pulso.metrics.explorer import Row

XLSX_MAX_ROWS = 1_048_575  # Excel's limit, minus the header


def headers() -> list[str]:
    return [
        _("Type"), _("Id"), _("Date"), _("Touchpoint"), _("Org unit"), _("Channel"),
        _("NPS"), _("CSAT"), _("CES"), _("Rating"), _("Sentiment"), _("Comment"),
    ]  # fmt: skip


def values(row: Row) -> list[Any]:
    when = timezone.localtime(row.when).replace(tzinfo=None)
    rating = float(row.rating) if row.rating is not None else None
    return [
        row.kind, row.pk, when, row.touchpoint, row.unit, row.channel,
        row.nps, row.csat, row.ces, rating, row.sentiment, _safe(row.text),
    ]  # fmt: skip


def _safe(text: str) -> str:
    # Spreadsheet apps execute cells starting with these as formulas (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _csv_cells(rows: Iterable[Row]) -> Iterator[list[Any]]:
    for row in rows:
        cells = values(row)
        cells[2] = cells[2].isoformat(sep=" ", timespec="seconds")
        yield cells


def csv_response(rows: Iterable[Row], name: str) -> StreamingHttpResponse:
    return csv_download(headers(), _csv_cells(rows), f"{name}.csv")


def xlsx_response(rows: Iterable[Row], name: str) -> FileResponse:
    """A write-only workbook (constant memory), spooled to a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Feedback"))
    sheet.append(headers())
    for count, row in enumerate(rows):
        if count >= XLSX_MAX_ROWS:
            break
        # XML (hence XLSX) cannot hold control characters a comment may carry.
        sheet.append([clean_text(v) if isinstance(v, str) else v for v in values(row)])
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
