"""Hostile and broken files, generated: what a careless export or an attacker uploads.

Used by the tests and by ``bench/hostile_files.py`` (peak memory per file).
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Callable, Iterator

HEADER = "Fecha;Valoración;Opinión;Tienda;Id\r\n"
GOOD_ROW = "03/02/2025;4;Muy buena atención;bilbao;rev-{n}\r\n"

OOXML = "http://schemas.openxmlformats.org"
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
RELATIONSHIPS = f"{OOXML}/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Types xmlns="{OOXML}/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SML}.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<workbook xmlns="{OOXML}/spreadsheetml/2006/main" xmlns:r="{RELATIONSHIPS}">'
    '<sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<Relationships xmlns="{OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<worksheet xmlns="{OOXML}/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xml_row(number: int, cells: list[str]) -> str:
    columns = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    inner = "".join(_inline(f"{columns[i]}{number}", text) for i, text in enumerate(cells))
    return f'<row r="{number}">{inner}</row>'


SHARED_STRINGS_TYPE = (
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SML}.sharedStrings+xml"/>'
)
SHARED_STRINGS_REL = (
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
)


def workbook(
    rows: Iterator[str], dimension: str = "A1:E3", shared_strings: Iterator[str] | None = None
) -> bytes:
    """A minimal XLSX written by hand: what it declares need not match what it holds."""
    buffer = io.BytesIO()
    types, rels = CONTENT_TYPES, WORKBOOK_RELS
    if shared_strings is not None:
        types = types.replace("</Types>", SHARED_STRINGS_TYPE + "</Types>")
        rels = rels.replace("</Relationships>", SHARED_STRINGS_REL + "</Relationships>")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        if shared_strings is not None:
            with archive.open("xl/sharedStrings.xml", "w") as part:
                part.write(f'<sst xmlns="{OOXML}/spreadsheetml/2006/main">'.encode())
                for chunk in iter(lambda: "".join(itertools.islice(shared_strings, 10_000)), ""):
                    part.write(chunk.encode())
                part.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_START.format(dimension=dimension).encode())
            for chunk in iter(lambda: "".join(itertools.islice(rows, 10_000)), ""):
                sheet.write(chunk.encode())
            sheet.write(SHEET_END.encode())
    return buffer.getvalue()


def _feedback_rows(count: int, first: int = 2) -> Iterator[str]:
    yield _xml_row(1, ["Fecha", "Valoración", "Opinión", "Tienda", "Id"])
    for n in range(first, first + count):
        yield _xml_row(n, ["03/02/2025", "4", "Muy buena atención", "bilbao", f"rev-{n}"])


def huge_declared_range() -> bytes:
    """Two rows in a sheet that declares every cell Excel allows (A1:XFD1048576)."""
    return workbook(_feedback_rows(2), dimension="A1:XFD1048576")


def far_away_cell() -> bytes:
    """Two good rows, then one cell in the last row and column Excel has."""
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return workbook(iter([*_feedback_rows(2), far]), dimension="A1:XFD1048576")


def one_wide_row() -> bytes:
    """A 60 KB file holding one row of two million cells."""
    return workbook(iter(['<row r="1">' + "<c><v>1</v></c>" * 2_000_000 + "</row>"]), "A1:A1")


def many_shared_strings() -> bytes:
    """Six hundred thousand tiny shared strings, all loaded at once by a reader."""
    rows = iter(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])
    return workbook(rows, "A1:A1", (f"<si><t>{n}</t></si>" for n in range(600_000)))


def million_rows_xlsx() -> bytes:
    """A million one-cell rows (the row limit is what is tested, not the width)."""
    rows = (f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 1_000_001))
    return workbook(rows, dimension="A1:A1000000")


def million_rows_csv() -> bytes:
    body = "".join(GOOD_ROW.format(n=n) for n in range(1_000_000))
    return (HEADER + body).encode()


def undecodable_bytes_csv() -> bytes:
    """A UTF-8 file with one row in Latin-1 and one of bytes no encoding reads."""
    return (
        HEADER.encode()
        + GOOD_ROW.format(n=1).encode()
        + "04/02/2025;2;Atención pésima;bilbao;rev-2\r\n".encode("latin-1")
        + b"05/02/2025;1;\x81\x8d\x8f\x90\x9d;bilbao;rev-3\r\n"
        + GOOD_ROW.format(n=4).encode()
    )


def undecodable_header_csv() -> bytes:
    """A Windows-1252 file whose header holds bytes undefined there."""
    return b"Fecha;Valoraci\x81n;Opini\x8dn;Id\r\n03/02/2025;4;Bien;rev-1\r\n"


def binary_garbage() -> bytes:
    """A binary file (an image, a PDF) given a .csv name."""
    return bytes((n * 7919 + 13) % 256 for n in range(20_000))


def html_as_csv() -> bytes:
    return (
        b"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>Opiniones</title></head>"
        b"<body><table><tr><td>Fecha</td><td>Opini\xc3\xb3n</td></tr>"
        b"<tr><td>03/02/2025</td><td>Bien</td></tr></table></body></html>\n"
    )


def zip_not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("opiniones.csv", HEADER + GOOD_ROW.format(n=1))
        archive.writestr("leeme.txt", "Exportado el 3 de febrero")
    return buffer.getvalue()


def control_characters_csv() -> bytes:
    return (
        HEADER + "03/02/2025;4;Muy\x0b buena\x00 atención\x1b\x07;bilbao;rev-1\r\n"
        "04/02/2025;2;Tarda\x0c mucho;bilbao;rev-2\x08\r\n"
    ).encode()


# name → (file name, content); the file name is what the upload would carry.
CORPUS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "huge_declared_range": ("opiniones.xlsx", huge_declared_range),
    "far_away_cell": ("opiniones.xlsx", far_away_cell),
    "one_wide_row": ("opiniones.xlsx", one_wide_row),
    "many_shared_strings": ("opiniones.xlsx", many_shared_strings),
    "million_rows_xlsx": ("opiniones.xlsx", million_rows_xlsx),
    "million_rows_csv": ("opiniones.csv", million_rows_csv),
    "undecodable_bytes_csv": ("opiniones.csv", undecodable_bytes_csv),
    "undecodable_header_csv": ("opiniones.csv", undecodable_header_csv),
    "binary_garbage": ("opiniones.csv", binary_garbage),
    "html_as_csv": ("opiniones.csv", html_as_csv),
    "zip_not_a_workbook": ("opiniones.xlsx", zip_not_a_workbook),
    "control_characters_csv": ("opiniones.csv", control_characters_csv),
}
