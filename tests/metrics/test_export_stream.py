"""The CSV export streams: pieces sent as the rows are read, every record once, newest first,
only what the user may see."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from pulso.core.csvstream import CHUNK_CHARS
from pulso.feedback.models import Feedback
from tests.metrics.factories import ResponseFactory, SurveyFactory, local

pytestmark = pytest.mark.django_db
JUNE = "from=2025-06-01&to=2025-06-30"
ROWS = 180


@pytest.fixture
def long_comments(org: Any) -> list[int]:
    """Enough long comments in June for the CSV to exceed a few pieces; half in each region."""
    survey = SurveyFactory()
    ids = []
    for n in range(ROWS):
        unit = org.north_store if n % 2 else org.south_store
        response = ResponseFactory(
            survey=survey,
            nps=n % 11,
            org_unit=unit,
            submitted_at=local(2025, 6, 1 + n % 28, hour=n % 24),
            comment=f"Comentario {n:04d}: " + "la entrega llegó tarde, " * 40,
        )
        ids.append(response.feedback_id)
    return ids


def _export(client: Client) -> tuple[list[bytes], list[list[str]]]:
    response = client.get(f"/dashboards/explorer/export.csv?{JUNE}")
    assert response.status_code == 200 and response.streaming
    pieces = list(response.streaming_content)
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"))))
    return pieces, rows


def test_the_csv_export_streams_every_record_once_newest_first(
    long_comments: list[int], personas: Any
) -> None:
    client = Client()
    client.force_login(personas.analyst)
    pieces, rows = _export(client)
    # Sent in pieces of bounded size, not built whole and not one write per row.
    assert len(pieces) >= 3
    assert all(len(p) < CHUNK_CHARS * 2 for p in pieces)
    ids = [int(row[1]) for row in rows[1:]]
    assert sorted(ids) == sorted(long_comments)  # none lost, none twice
    newest_first = Feedback.objects.filter(pk__in=ids).order_by("-received_at", "-pk")
    assert ids == list(newest_first.values_list("pk", flat=True))
    assert all(row[11].startswith("Comentario ") for row in rows[1:])


def test_a_streamed_export_holds_only_the_users_units(
    long_comments: list[int], personas: Any, org: Any
) -> None:
    client = Client()
    client.force_login(personas.viewer)  # the south region only
    _pieces, rows = _export(client)
    south = set(
        Feedback.objects.filter(org_unit=org.south_store, pk__in=long_comments).values_list(
            "pk", flat=True
        )
    )
    assert {int(row[1]) for row in rows[1:]} == south and len(rows) - 1 == ROWS // 2
