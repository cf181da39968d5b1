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
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

UTF8_BOM = b"\xef\xbb\xbf"
XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 200_000


class ImportFileError(Exception):
    """The file cannot be read at all (not a CSV/XLSX, empty, corrupt)."""


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
    """Parse an uploaded file; raises :class:`ImportFileError` with a readable reason."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(XLSX_MAGIC) or file_name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    text, encoding = decode_text(data)
    return _read_csv(text, encoding)


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


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a CSV whatever its encoding: UTF-8 (with or without BOM), UTF-16, else
    Windows-1252.

    Bytes that do not fit the chosen encoding become lone surrogates, so the rows holding them
    are reported as badly encoded instead of silently garbled.
    """
    utf16 = _utf16_encoding(data)
    if utf16:  # a cut-off last byte is dropped; unpaired surrogates are flagged per row
        return data[: len(data) - len(data) % 2].decode(utf16, "surrogatepass"), utf16
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :].decode("utf-8", "surrogateescape"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf8_lines = bad_lines = 0
    for line in data.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
        except UnicodeDecodeError:
            bad_lines += 1
    if utf8_lines > bad_lines:
        return data.decode("utf-8", "surrogateescape"), "utf-8"
    return data.decode("cp1252", "surrogateescape"), "cp1252"


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        return max(";,\t|", key=first.count) if first else ","


def _read_csv(text: str, encoding: str) -> Table:
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
    return _table(lines, encoding, delimiter)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ImportFileError(_("The file is not a valid Excel (XLSX) workbook.")) from exc
    sheet = workbook.worksheets[0]
    lines = [
        (number, [_cell_text(value) for value in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    workbook.close()
    return _table(lines, "xlsx", "")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores ids and phone numbers as floats
    return str(value).strip()


def _cell(text: str) -> str:
    return text.replace("\x00", "").strip()


def _table(lines: list[tuple[int, list[str]]], encoding: str, delimiter: str) -> Table:
    # NUL bytes carry nothing (and PostgreSQL refuses them): dropped from every cell.
    lines = [(n, [_cell(cell) for cell in row]) for n, row in lines if any(c.strip() for c in row)]
    if not lines:
        raise ImportFileError(_("The file has no rows."))
    if len(lines) > MAX_ROWS + 1:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    _header_number, headers = lines[0]
    return Table(headers=headers, rows=lines[1:], encoding=encoding, delimiter=delimiter)


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
