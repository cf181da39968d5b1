"""Reading uploaded files: CSV in any common encoding and delimiter, or XLSX, into a table of
text cells; header matching and the regional dates exports write.

Pure computation: nothing here touches the database. The customer, feedback and survey-history
imports build on it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pulso.core.text import clean_text, strip_control_characters

UTF8_BOM = b"\xef\xbb\xbf"
XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
# What the cells may take in memory, estimated while reading (Python strings and lists).
MAX_TABLE_BYTES = 160 * 1024 * 1024
CHUNK = 1024 * 1024
WEB_PAGE_STARTS = ("<!doctype", "<html", "<?xml", "<table", "<head", "<body", "<meta", "<!--")


class ImportFileError(Exception):
    """The file cannot be read at all (not a CSV/XLSX, empty, corrupt, too large)."""


@dataclass
class Table:
    headers: list[str]
    # (row number as a spreadsheet shows it, header = 1; cell values)
    rows: list[tuple[int, list[str]]]
    encoding: str = ""
    delimiter: str = ""


def normalise_header(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def read_table(data: bytes, file_name: str = "") -> Table:
    """Parse an uploaded file; raises :class:`ImportFileError` with a readable reason.

    Rows are read one at a time and the row, column and size limits are checked while
    reading, so memory stays bounded whatever the file declares. Cells lose NUL and the other
    control characters; bytes that fit no encoding stay as lone surrogates so that importers
    reject the rows holding them (headers show them as U+FFFD).
    """
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(XLSX_MAGIC) or file_name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    encoding = detect_encoding(data)
    _refuse_non_csv(data, encoding)
    return _read_csv(data, encoding)


def _utf16_encoding(data: bytes) -> str:
    """ "utf-16" (with a byte-order mark), "utf-16-le"/"-be" (without one, recognised by the NUL
    half of every ASCII character), or "" for anything else. Excel's "Unicode text" and
    Qualtrics' TSV exports are UTF-16."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[: min(len(data), 1000) // 2 * 2]
    if len(sample) < 4:
        return ""
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.6 * half and even_nuls < 0.1 * half:
        return "utf-16-le"
    if even_nuls > 0.6 * half and odd_nuls < 0.1 * half:
        return "utf-16-be"
    return ""


def _decodes_as_utf8(data: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), CHUNK):  # in chunks: no copy of the whole text
            decoder.decode(data[start : start + CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes) -> str:
    """The encoding of a CSV: UTF-8 (with or without BOM), UTF-16, else Windows-1252; a UTF-8
    file with a few badly encoded lines stays UTF-8."""
    utf16 = _utf16_encoding(data)
    if utf16:
        return utf16
    if data.startswith(UTF8_BOM):
        return "utf-8-sig"
    if _decodes_as_utf8(data):
        return "utf-8"
    utf8_lines = bad_lines = 0
    for line in io.BytesIO(data):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
        except UnicodeDecodeError:
            bad_lines += 1
    return "utf-8" if utf8_lines > bad_lines else "cp1252"


def _text_stream(data: bytes, encoding: str) -> io.TextIOWrapper:
    """The file's text, decoded as it is read. Bytes that do not fit the encoding become lone
    surrogates, so the rows holding them are reported as badly encoded, not silently garbled."""
    if encoding.startswith("utf-16"):  # a cut-off last byte is dropped
        stream = io.BytesIO(data[: len(data) - 1] if len(data) % 2 else data)
        return io.TextIOWrapper(stream, encoding, errors="surrogatepass", newline="")
    return io.TextIOWrapper(io.BytesIO(data), encoding, errors="surrogateescape", newline="")


def _refuse_non_csv(data: bytes, encoding: str) -> None:
    """A web page saved as .csv or a binary file (PDF, image, old .xls) is refused whole."""
    start = _text_stream(data, encoding).read(4096)
    if start.lstrip("\ufeff \t\r\n").lower().startswith(WEB_PAGE_STARTS):
        raise ImportFileError(
            _("The file is a web page (HTML or XML), not a CSV; export it again as CSV or XLSX.")
        )
    if not encoding.startswith("utf-16"):
        sample = data[:8192]
        controls = sum(sample.count(bytes([c])) for c in range(32) if c not in (9, 10, 13))
        if controls > 0.05 * len(sample):
            raise ImportFileError(_("The file is not a CSV file or an Excel (XLSX) workbook."))


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        return max(";,\t|", key=first.count) if first else ","


def _read_csv(data: bytes, encoding: str) -> Table:
    first_lines = list(itertools.islice(_text_stream(data, encoding), 20))
    delimiter = _sniff_delimiter("\n".join(line.rstrip("\r\n") for line in first_lines))
    reader = csv.reader(_text_stream(data, encoding), delimiter=delimiter)
    try:
        # numbered as a spreadsheet shows them: a cell spanning lines is still one row
        return _table(enumerate(reader, start=1), encoding, delimiter)
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    from pulso.core import workbook_limits

    workbook_limits.check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet: Any = workbook.worksheets[0]  # a ReadOnlyWorksheet
        # openpyxl keeps the sheet's part name there; it is the part its rows come from
        workbook_limits.check_sheet(data, sheet._worksheet_path)
        sheet.reset_dimensions()  # a declared range is not trusted: rows are read as they come
        lines = (
            (number, _xlsx_cells(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        table = _table(lines, "xlsx", "")
        workbook.close()
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure on an uploaded file
        raise workbook_limits.not_a_workbook() from exc
    width = len(table.headers)
    table.rows = [(n, cells + [""] * (width - len(cells))) for n, cells in table.rows]
    return table


def _xlsx_cells(values: Sequence[object]) -> list[str]:
    cells = [_cell_text(value) for value in values]
    while cells and not cells[-1]:  # a formatted but empty column far right holds nothing
        cells.pop()
    return cells


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores ids and phone numbers as floats
    return str(value).strip()


def _footprint(cells: list[str]) -> int:
    """Roughly the bytes a row takes in memory (list, pointers, non-empty strings)."""
    return 64 + 8 * len(cells) + sum(56 + len(cell) for cell in cells if cell)


def _check_row(number: int, cells: list[str], rows_so_far: int, size: int) -> None:
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            _("Row %(row)s has more than %(max)s columns.") % {"row": number, "max": MAX_COLUMNS}
        )
    if rows_so_far > MAX_ROWS:  # the header is one of them
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    if size > MAX_TABLE_BYTES:
        raise ImportFileError(_("The file is too large; split it into smaller files."))


def _table(lines: Iterable[tuple[int, list[str]]], encoding: str, delimiter: str) -> Table:
    rows: list[tuple[int, list[str]]] = []
    size = 0
    for number, raw in lines:
        cells = [strip_control_characters(cell).strip() for cell in raw]
        if not any(cells):
            continue
        size += _footprint(cells)
        _check_row(number, cells, len(rows), size)
        rows.append((number, cells))
    if not rows:
        raise ImportFileError(_("The file has no rows."))
    headers = [clean_text(header) for header in rows[0][1]]
    return Table(headers=headers, rows=rows[1:], encoding=encoding, delimiter=delimiter)


def match_headers(
    headers: Sequence[str],
    aliases: Mapping[str, Iterable[str]],
    words: Sequence[tuple[str, Iterable[str]]] = (),
) -> dict[str, int]:
    """Field → column index: headers spelled as one of a field's ``aliases`` first, then headers
    containing one of its ``words`` (rules in order; each maps one column at most). Headers are
    compared without accents, case, spaces or punctuation; unknown ones are ignored."""
    keys = [normalise_header(header) for header in headers]
    spellings = {field: {normalise_header(a) for a in names} for field, names in aliases.items()}
    mapping: dict[str, int] = {}
    for index, key in enumerate(keys):
        for field_name, names in spellings.items():
            if key in names and field_name not in mapping:
                mapping[field_name] = index
                break
    for field_name, contained in words:
        if field_name in mapping:
            continue
        for index, key in enumerate(keys):
            if index not in mapping.values() and key and any(w in key for w in contained):
                mapping[field_name] = index
                break
    return mapping


# Dates as exports write them besides ISO 8601: day first (Spanish and European settings, with
# "/", "." or "-") or year first, 24-hour; 12-hour clocks are day first with the Spanish
# "p. m." and month first with the English "PM" (US settings).
DATE_FORMATS = tuple(
    f"{day} {time}".strip()
    for day in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d")
    for time in ("%H:%M:%S", "%H:%M", "")
)
SPANISH_12H = ("%d/%m/%Y %I:%M:%S %p", "%d/%m/%Y %I:%M %p")
ENGLISH_12H = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p")
MERIDIEM = re.compile(r"\s*(?P<spanish>([ap])\.\s*m\.?)$|\s*(?P<english>[ap]m)$", re.IGNORECASE)


def parse_regional_date(value: str) -> dt.datetime:
    """A naive date-time from the regional forms files use (see DATE_FORMATS); ValueError
    with a readable message when it is none of them."""
    patterns: tuple[str, ...] = DATE_FORMATS
    meridiem = MERIDIEM.search(value)
    if meridiem:
        half = (meridiem.group("spanish") or meridiem.group("english"))[0].upper()
        value = f"{value[: meridiem.start()]} {half}M"
        patterns = SPANISH_12H if meridiem.group("spanish") else ENGLISH_12H
    for pattern in patterns:
        try:
            return dt.datetime.strptime(value, pattern)  # noqa: DTZ007 - made aware by the caller
        except ValueError:
            continue
    raise ValueError(_("bad date “%(value)s”") % {"value": value})
