"""Rows of an export file read one at a time (CSV in any common encoding and delimiter, TSV,
or XLSX), numbered as a spreadsheet shows them, so that a file of millions of rows is imported
in bounded memory."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from pulso.core import workbook_limits
from pulso.core.files import MAX_COLUMNS, XLSX_MAGIC, ImportFileError
from pulso.core.text import CONTROL_CHARACTERS, strip_control_characters

SAMPLE = 64 * 1024
Row = tuple[int, list[str]]


@dataclass
class Rows:
    """The first records (headers and the rows presets look at) and an iterator over all rows
    from the first one on; ``number`` is the row as a spreadsheet shows it (the header is 1)."""

    head: list[Row]
    rest: Iterator[Row]

    def __iter__(self) -> Iterator[Row]:
        return itertools.chain(self.head, self.rest)


def _encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = sample[: len(sample) // 2 * 2]
    if len(pairs) >= 4:
        half = len(pairs) // 2
        if pairs[1::2].count(0) > 0.6 * half and pairs[0::2].count(0) < 0.1 * half:
            return "utf-16-le"
        if pairs[0::2].count(0) > 0.6 * half and pairs[1::2].count(0) < 0.1 * half:
            return "utf-16-be"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        return "utf-8" if exc.start >= len(sample) - 3 else "cp1252"  # a character cut short


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        return max(",;\t|", key=first.count) if first else ","


def _csv_rows(stream: IO[bytes]) -> Iterator[Row]:
    sample = stream.read(SAMPLE)
    stream.seek(0)
    encoding = _encoding(sample)
    errors = "surrogatepass" if encoding.startswith("utf-16") else "surrogateescape"
    text = io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline="")
    head = sample.decode(encoding, "replace") if not encoding.startswith("utf-16") else ""
    delimiter = _delimiter(head or text.read(SAMPLE))
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for number, raw in enumerate(reader, start=1):
            cells = _cells(raw)
            if any(cells):
                yield number, cells
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc


def _cells(raw: list[str]) -> list[str]:
    """Cells without NUL and the other control characters, as :mod:`pulso.core.files` reads
    them; a row wider than any real export is refused."""
    if len(raw) > MAX_COLUMNS:
        raise ImportFileError(_("A row has more than %(max)s columns.") % {"max": MAX_COLUMNS})
    if CONTROL_CHARACTERS.search("".join(raw)) is None:  # nearly every row: one search
        return list(map(str.strip, raw))
    return [strip_control_characters(cell).strip() for cell in raw]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()  # type: ignore[call-arg]
    return str(value)


def _xlsx_rows(stream: IO[bytes]) -> Iterator[Row]:
    from openpyxl import load_workbook

    data = stream.read()  # workbooks are compressed: the archive's limits are checked first
    workbook_limits.check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet: Any = workbook.worksheets[0]  # a ReadOnlyWorksheet
        workbook_limits.check_sheet(data, sheet._worksheet_path)
    except ImportFileError:
        raise
    except Exception as exc:  # zip, XML and openpyxl errors alike: not a workbook
        raise workbook_limits.not_a_workbook() from exc
    sheet.reset_dimensions()  # a workbook written without a dimension element reads whole
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = _cells([_cell_text(value) for value in values])
            if any(cells):
                yield number, cells
    finally:
        workbook.close()


def read_rows(source: Path | bytes, file_name: str = "", head: int = 4) -> Rows:
    """Open an export; raises ImportFileError when it is empty or cannot be read."""
    stream: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    magic = stream.read(4)
    stream.seek(0)
    name = file_name or (source.name if isinstance(source, Path) else "")
    is_xlsx = magic == XLSX_MAGIC or name.lower().endswith(".xlsx")
    rows = _xlsx_rows(stream) if is_xlsx else _csv_rows(stream)
    first = list(itertools.islice(rows, head))
    if not first:
        raise ImportFileError(_("The file has no rows."))
    return Rows(first, rows)
