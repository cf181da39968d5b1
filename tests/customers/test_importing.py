"""Customer imports: messy CSVs (BOM, ';', Latin-1, bad rows), XLSX, de-duplication, CLI."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from pulso.core.files import ImportFileError, read_table
from pulso.core.mapping import load_mapping_file
from pulso.customers.actions import do_upload_customer_file, import_rows
from pulso.customers.importing import complete_mapping, detect_mapping
from pulso.customers.models import Customer, CustomerImport
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MESSY = (
    "ID Cliente;Nombre;Correo electrónico;Teléfono;Idioma;Segmento;Valor;Consentimiento\n"
    "C1;José Pérez;JOSE@Example.com;+34 600 11 22 33;es;premium;1.234,50;sí\n"
    "C2;Ana;ana-at-example.com;600112233;en;;;no\n"
    ";Sin id;sinid@example.com;;;;;\n"
    "C3;Ñoño;nono@example.com;12;;;;\n"
    "C4;Zoe;zoe@example.com;0034 611 222 333;english;basic;10;x\n"
)


def run(data: bytes, file_name: str = "clientes.csv", dry_run: bool = False):  # type: ignore[no-untyped-def]
    table = read_table(data, file_name)
    return table, import_rows(table, detect_mapping(table.headers), dry_run=dry_run)


def test_utf8_bom_semicolon_file_keeps_valid_rows_and_reports_the_rest() -> None:
    table, report = run(b"\xef\xbb\xbf" + MESSY.encode("utf-8"))
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    assert [(e.row, e.reason) for e in report.errors] == [
        (3, "correo electrónico no válido «ana-at-example.com»"),
        (4, "falta el id de cliente"),
        (5, "teléfono no válido «12»"),
    ]
    assert (report.created, report.updated) == (2, 0)
    jose = Customer.objects.get(external_id="C1")
    assert (jose.name, jose.email, jose.phone) == ("José Pérez", "jose@example.com", "+34600112233")
    assert (jose.segment, jose.value, jose.consent_to_contact) == (
        "premium",
        Decimal("1234.50"),
        True,
    )
    zoe = Customer.objects.get(external_id="C4")
    assert (zoe.language, zoe.phone, zoe.consent_to_contact) == ("en", "+34611222333", True)


def test_latin1_comma_file_is_detected() -> None:
    data = "id,nombre,email\nL1,María Ibáñez,maria@example.com\n".encode("latin-1")
    table, report = run(data)
    assert (table.encoding, table.delimiter) == ("cp1252", ",")
    assert Customer.objects.get(external_id="L1").name == "María Ibáñez"
    assert report.errors == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_tab_files_are_read(encoding: str) -> None:
    text = "id\tnombre\temail\nU1\tIñigo Muñoz\tinigo@example.com\n"
    table = read_table(text.encode(encoding), "clientes.txt")
    assert (table.headers, table.delimiter) == (["id", "nombre", "email"], "\t")
    assert table.rows[0][1] == ["U1", "Iñigo Muñoz", "inigo@example.com"]


def test_headers_of_real_crm_exports_are_mapped_explicitly_not_guessed(tmp_path: Path) -> None:
    headers = [
        "Nº de cliente",
        "Nombre completo del cliente",
        "Correo electrónico del cliente",
        "Teléfono móvil (+34)",
        "Acepta comunicaciones comerciales (RGPD)",
        "Idioma preferido",
        "Email",
    ]
    assert detect_mapping(headers) == {"email": 6}  # only the exact spelling
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "Nº de cliente: external_id\nNombre completo del cliente: name\n"
        "Correo electrónico del cliente: email\n'#4': phone\nEmail: null\n",
        encoding="utf-8",
    )
    explicit = load_mapping_file(mapping)
    assert complete_mapping(headers, explicit) == {
        "external_id": 0, "name": 1, "email": 2, "phone": 3,
    }  # fmt: skip


def test_cli_takes_a_mapping_file_and_blank_placeholders(tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("Nº de cliente;Nombre;Teléfono\nK1;Ana;nan\nK2;N/A;600111222\n", "utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"Nº de cliente": "external_id", "Teléfono": "phone"}', encoding="utf-8")
    call_command("import_customers", str(path), "--mapping", str(mapping), stdout=io.StringIO())
    phones = dict(Customer.objects.values_list("external_id", "phone"))
    assert phones == {"K1": "", "K2": "600111222"}  # "nan" is no phone, not a bad one
    assert dict(Customer.objects.values_list("external_id", "name")) == {"K1": "Ana", "K2": ""}


def test_a_badly_encoded_row_in_a_utf8_file_is_rejected_not_garbled() -> None:
    data = (
        "id;nombre\nU1;Begoña\nU2;Begoña\n".encode()
        + "U3;Begoña\n".encode("latin-1")
        + "U4;Iñaki\n".encode()
    )
    _table, report = run(data)
    assert [(e.row, e.reason) for e in report.errors] == [
        (4, "codificación incorrecta: la fila tiene caracteres que no se pueden leer")
    ]
    assert sorted(Customer.objects.values_list("name", flat=True)) == ["Begoña", "Begoña", "Iñaki"]


def test_same_external_id_updates_the_customer_without_erasing_known_fields() -> None:
    CustomerFactory(external_id="C1", name="Viejo", phone="+34699000000", segment="basic")
    data = b"cliente,nombre,email,segmento\nC1,Nuevo,nuevo@example.com,\nC9,Otro,,\n"
    _table, report = run(data)
    assert (report.created, report.updated) == (1, 1)
    customer = Customer.objects.get(external_id="C1")
    assert (customer.name, customer.email) == ("Nuevo", "nuevo@example.com")
    assert (customer.phone, customer.segment) == ("+34699000000", "basic")  # blank cells keep
    assert Customer.objects.count() == 2


def test_import_does_not_undo_an_opt_out() -> None:
    from django.utils import timezone

    customer = CustomerFactory(external_id="C1", unsubscribed_at=timezone.now())
    run(b"id,consent\nC1,yes\n")
    customer.refresh_from_db()
    assert customer.consent_to_contact and customer.is_unsubscribed


def test_dry_run_stores_nothing() -> None:
    _table, report = run(MESSY.encode(), dry_run=True)
    assert report.created == 2 and len(report.errors) == 3
    assert Customer.objects.count() == 0


def test_xlsx_generated_with_openpyxl() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["External ID", "Name", "Email", "Phone", "Language", "Value"])
    sheet.append([1001, "Carmen", "carmen@example.com", 34600111222, "es", 99.5])
    sheet.append([1002, "Bad", "not-an-email", None, "fr", None])
    sheet.append([None, None, None, None, None, None])  # blank rows are skipped
    sheet.append([1003, "Luis", None, "+44 20 7946 0958", "EN", "12,5"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table, report = run(buffer.getvalue(), "clientes.xlsx")
    assert table.encoding == "xlsx"
    assert [(e.row, e.reason) for e in report.errors] == [
        (3, "correo electrónico no válido «not-an-email»; idioma desconocido «fr» (usa es o en)")
    ]
    carmen = Customer.objects.get(external_id="1001")
    assert (carmen.phone, carmen.value) == ("34600111222", Decimal("99.50"))
    luis = Customer.objects.get(external_id="1003")
    assert (luis.language, luis.phone, luis.value) == ("en", "+442079460958", Decimal("12.50"))


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"", "x.csv"), (b"\n\n", "x.csv"), (b"PK\x03\x04not really a zip", "x.xlsx")],
)
def test_unreadable_files_are_refused_with_a_reason(data: bytes, name: str) -> None:
    with pytest.raises(ImportFileError):
        read_table(data, name)
    with pytest.raises(ImportFileError):
        do_upload_customer_file(name, data)
    assert CustomerImport.objects.count() == 0


def test_cli_imports_with_progress_and_reports_rejected_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "clientes.csv"
    path.write_bytes(MESSY.encode("cp1252", "replace"))
    call_command("import_customers", str(path), "--dry-run")
    assert Customer.objects.count() == 0
    call_command("import_customers", str(path))
    out, err = capsys.readouterr()
    assert "row 3: correo electrónico no válido" in out
    assert "2 customers (2 new, 0 updated); 3 rows rejected" in out
    assert "100%" in err  # the tqdm progress bar
    assert Customer.objects.count() == 2
    assert CustomerImport.objects.get().created_count == 2


def test_cli_refuses_a_file_without_an_id_column(tmp_path: Path) -> None:
    path = tmp_path / "sin_id.csv"
    path.write_text("nombre,email\nAna,ana@example.com\n")
    with pytest.raises(CommandError, match="customer id column"):
        call_command("import_customers", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_customers", str(tmp_path / "missing.csv"))


def test_nul_bytes_in_cells_are_dropped() -> None:
    data = b"id,nombre,email\nC1,Ana\x00 Ruiz,ana@example.com\n"
    table = read_table(data, "clientes.csv")
    assert table.rows[0][1] == ["C1", "Ana Ruiz", "ana@example.com"]
    result = import_rows(table, detect_mapping(table.headers))
    assert result.created == 1 and Customer.objects.get(external_id="C1").name == "Ana Ruiz"
