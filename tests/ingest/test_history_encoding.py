"""Survey-history exports with bytes no encoding reads: those rows are rejected, the others
imported (PostgreSQL refuses the undecodable text: a 500 before)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pulso.feedback.models import ImportRun
from pulso.surveys.models import Response, Survey
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parents[2] / "src/pulso/surveys/importers/samples"


def test_a_row_with_undecodable_bytes_is_rejected_and_the_rest_imported(
    client: Client, personas: Personas, survey: Survey
) -> None:
    client.force_login(personas.analyst)
    data = (SAMPLES / "qualtrics_tienda.csv").read_bytes()
    data = data.replace(b"Tuve que esperar", b"Tuve \x81que esperar")
    upload = SimpleUploadedFile("qualtrics.csv", data, content_type="text/csv")
    form = {"survey": survey.pk, "format": "qualtrics", "file": upload}
    done = client.post("/surveys/import-history/", form)
    assert done.status_code == 302
    run = ImportRun.objects.get()
    # the sample's own rejected row (row 9, no score) and the badly encoded one (row 5)
    assert (run.created, run.rejected) == (5, 2) and Response.objects.count() == 5
    assert sorted(r["index"] for r in run.rejects) == [5, 9]
    assert not Response.objects.filter(comment__startswith="Tuve").exists()
    report = client.get(done["Location"]).content.decode()
    assert "codificación incorrecta" in report
