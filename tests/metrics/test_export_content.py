"""Exports never fail on what a comment holds."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.metrics.factories import ResponseFactory, SurveyFactory, local

pytestmark = pytest.mark.django_db
JUNE = "from=2025-06-01&to=2025-06-30"
COMMENT = "Tarda\x0bmucho\x1b el\x07 envío\x0c=SUMA(A1)"


def test_control_characters_in_a_comment_do_not_break_the_exports(org: Any, personas: Any) -> None:
    ResponseFactory(
        survey=SurveyFactory(),
        nps=3,
        org_unit=org.north_store,
        submitted_at=local(2025, 6, 10),
        comment=COMMENT,
    )
    client = Client()
    client.force_login(personas.analyst)
    xlsx = client.get(f"/dashboards/explorer/export.xlsx?{JUNE}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    comments = [row[11] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert comments == ["Tardamucho el envío=SUMA(A1)"]
    csv_export = client.get(f"/dashboards/explorer/export.csv?{JUNE}")
    rows = list(csv.reader(io.StringIO(b"".join(csv_export.streaming_content).decode("utf-8-sig"))))
    assert [row[11] for row in rows[1:]] == [COMMENT]
