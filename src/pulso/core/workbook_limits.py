"""Limits checked on an uploaded workbook (XLSX, a zip of XML parts) before and while openpyxl
reads it, so that a small file cannot make the server allocate gigabytes.

openpyxl's read-only mode streams rows, but it loads the shared strings at once and builds a
whole row before handing it over: a 60 KB zip can hold one row of millions of cells, or
millions of tiny shared strings. Both are counted here by scanning the decompressed XML in
chunks, which takes constant memory.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _

from pulso.core.files import MAX_COLUMNS, ImportFileError

MAX_WORKBOOK_BYTES = 2 * 1024 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_SHARED_STRINGS = 500_000
MAX_ROW_XML_BYTES = 16 * 1024 * 1024
CHUNK = 1024 * 1024
# a row, a cell or a shared string's opening tag, with or without a namespace prefix
TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|si)[\s/>]")


def not_a_workbook() -> ImportFileError:
    return ImportFileError(_("The file is not a valid Excel (XLSX) workbook."))


def too_large() -> ImportFileError:
    return ImportFileError(_("The workbook is too large; split it into smaller files."))


def check_archive(data: bytes) -> None:
    """Refuse a zip that is no workbook, or whose parts would not fit in memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            names = {part.filename.lower(): part.filename for part in parts}
            if "[content_types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise not_a_workbook()
            if sum(part.file_size for part in parts) > MAX_WORKBOOK_BYTES:
                raise too_large()
            for lower, name in names.items():
                if lower.endswith("sharedstrings.xml"):
                    _check_shared_strings(archive, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise not_a_workbook() from exc


def _check_shared_strings(archive: zipfile.ZipFile, name: str) -> None:
    if archive.getinfo(name).file_size > MAX_SHARED_STRINGS_BYTES:
        raise too_large()
    with archive.open(name) as part:
        count = sum(1 for tag, _start in _tags(part) if tag == b"si")
    if count > MAX_SHARED_STRINGS:
        raise too_large()


def check_sheet(data: bytes, path: str) -> None:
    """Refuse a sheet with a row of more than MAX_COLUMNS cells or MAX_ROW_XML_BYTES bytes."""
    rows = cells = row_start = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path.lstrip("/")) as part:
        for tag, start in _tags(part):
            if start - row_start > MAX_ROW_XML_BYTES:
                raise too_large()
            if tag == b"row":
                rows, cells, row_start = rows + 1, 0, start
            elif tag == b"c":
                cells += 1
                if cells > MAX_COLUMNS:
                    raise ImportFileError(
                        _("Row %(row)s has more than %(max)s columns.")
                        % {"row": rows, "max": MAX_COLUMNS}
                    )


def _tags(part: IO[bytes]) -> Iterator[tuple[bytes, int]]:
    """(tag name, offset) of each row, cell and shared-string tag, read in chunks. A chunk's
    last bytes are scanned with the next one, so no tag is cut in two."""
    buffer, offset = b"", 0
    while True:
        chunk = part.read(CHUNK)
        buffer += chunk
        end = max(0, len(buffer) - 64) if chunk else len(buffer)
        for match in TAG.finditer(buffer):
            if match.start() >= end:
                break
            yield match.group(1), offset + match.start()
        if not chunk:
            return
        buffer, offset = buffer[end:], offset + end
