"""Hostile and broken files: each gives a clear error or a correct import, never a 500 and
never unbounded memory (see bench/hostile_files.py for the peak memory of each)."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pulso.core.files import ImportFileError, read_table
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback, ImportRun
from tests.conftest import Org, Personas
from tests.core.hostile_files import CORPUS
from tests.distribution.factories import ContactableCustomerFactory, make_live_survey

pytestmark = pytest.mark.django_db

# name → the error the upload page shows, or None when the file imports
EXPECTED_ERRORS = {
    "huge_declared_range": None,
    "far_away_cell": "más de 1000 columnas",
    "one_wide_row": "más de 1000 columnas",
    "many_shared_strings": "El libro es demasiado grande",
    "million_rows_xlsx": "más de 200000 filas",
    "million_rows_csv": "más de 200000 filas",
    "undecodable_bytes_csv": None,
    "undecodable_header_csv": None,
    "binary_garbage": "no es un CSV ni un libro de Excel",
    "html_as_csv": "es una página web",
    "zip_not_a_workbook": "no es un libro de Excel (XLSX) válido",
    "control_characters_csv": None,
}
# name → (texts stored, rows rejected) for the files that import
EXPECTED_IMPORTS = {
    "huge_declared_range": ({"Muy buena atención"}, 0),
    "undecodable_bytes_csv": ({"Muy buena atención"}, 2),
    "undecodable_header_csv": ({"Bien"}, 0),
    "control_characters_csv": ({"Muy buena atención", "Tarda mucho"}, 0),
}


def test_the_corpus_is_covered() -> None:
    assert set(EXPECTED_ERRORS) == set(CORPUS)
    assert {n for n, e in EXPECTED_ERRORS.items() if e is None} == set(EXPECTED_IMPORTS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_reading_gives_a_table_or_a_clear_error(name: str) -> None:
    file_name, make = CORPUS[name]
    expected = EXPECTED_ERRORS[name]
    if expected is None:
        table = read_table(make(), file_name)
        assert table.rows and all(
            "\ufffd" not in h or name.startswith("undecodable") for h in table.headers
        )
        assert not any(
            c in cell for _n, cells in table.rows for cell in cells for c in "\x00\x0b\x1b"
        )
    else:
        with pytest.raises(ImportFileError, match=re.escape(expected)):
            read_table(make(), file_name)


def _upload(client: Client, name: str) -> object:
    file_name, make = CORPUS[name]
    upload = SimpleUploadedFile(file_name, make(), content_type="application/octet-stream")
    return client.post("/feedback/import/", {"file": upload, "source": "review"})


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED_ERRORS.items() if e))
def test_feedback_upload_shows_the_error_beside_the_file(
    client: Client, personas: Personas, name: str
) -> None:
    expected = EXPECTED_ERRORS[name]
    client.force_login(personas.analyst)
    response = _upload(client, name)
    body = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert expected in body and 'role="alert"' in body
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize("name", sorted(EXPECTED_IMPORTS))
def test_feedback_wizard_imports_what_can_be_read(
    client: Client, personas: Personas, org: Org, name: str
) -> None:
    client.force_login(personas.analyst)
    response = _upload(client, name)
    assert response.status_code == 302, response.content.decode()  # type: ignore[attr-defined]
    map_url = response["Location"]  # type: ignore[index]
    page = client.get(map_url)
    assert page.status_code == 200
    form = page.context["form"]
    mapping = {field: form[field].initial for field in form.fields}
    # a header that could not be decoded is not recognised: the user picks its column
    mapping["text"] = mapping["text"] or "2"
    mapping["date_order"] = "dmy"  # the corpus writes Spanish dates: 03/02/2025 is 3 February
    assert client.post(map_url, {**mapping, "preview": "1"}).status_code == 200
    done = client.post(map_url, {**mapping, "import": "1"})
    assert done.status_code == 302
    texts, rejected = EXPECTED_IMPORTS[name]
    assert set(Feedback.objects.values_list("text", flat=True)) == texts
    assert ImportRun.objects.get().rejected == rejected
    report = client.get(done["Location"])
    assert report.status_code == 200


@pytest.mark.parametrize("name", ["html_as_csv", "zip_not_a_workbook", "binary_garbage"])
def test_customer_upload_refuses_with_a_form_error(
    client: Client, personas: Personas, name: str
) -> None:
    client.force_login(personas.admin)
    file_name, make = CORPUS[name]
    upload = SimpleUploadedFile(file_name, make(), content_type="application/octet-stream")
    response = client.post("/customers/import/", {"file": upload})
    assert response.status_code == 400 and EXPECTED_ERRORS[name] in response.content.decode()
    assert Customer.objects.count() == 0


def test_customer_review_page_shows_an_undecodable_header(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)
    data = b"id;nombre\x81;email\r\nC1;Ana;ana@example.com\r\nC2;Lu\x8dis;luis@example.com\r\n"
    response = client.post("/customers/import/", {"file": SimpleUploadedFile("c.csv", data)})
    assert response.status_code == 302
    review = client.get(response["Location"])
    assert review.status_code == 200 and "nombre\ufffd" in review.content.decode()


def test_mapping_page_reports_a_kept_file_that_became_unreadable(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.analyst)
    response = _upload(client, "control_characters_csv")
    pending = next(iter(client.session["feedback_imports"].values()))
    with default_storage.open(pending["path"], "wb") as handle:
        handle.write(CORPUS["html_as_csv"][1]())
    page = client.get(response["Location"], follow=True)  # type: ignore[index]
    assert page.redirect_chain == [("/feedback/import/", 302)]
    assert "es una página web" in page.content.decode()


def test_invitation_list_with_undecodable_bytes_counts_the_row_as_unknown(
    client: Client, personas: Personas
) -> None:
    survey = make_live_survey()
    ContactableCustomerFactory(external_id="K1")
    client.force_login(personas.admin)
    url = reverse("distribution:invite", args=[survey.pk])
    upload = SimpleUploadedFile("lista.csv", b"cliente\nK1\nN\x81DIE\n")
    form = {"channel": "sms", "source": "file", "file": upload, "action": "preview"}
    preview = client.post(url, form)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Se invitará a 1 cliente." in html
    assert "1 fila de la lista no corresponde a ningún cliente conocido" in html
