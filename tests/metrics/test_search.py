"""Search through the full-text index answers what reading the documents answers, and follows
every change of the documents."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from pulso.feedback.models import Feedback
from pulso.metrics import search_index
from pulso.metrics.jobs import refresh_pending
from pulso.metrics.search_index import (
    FTS_TABLE,
    _full_text_match,
    index_feedback,
    matching_text,
)
from tests.factories import FeedbackFactory
from tests.metrics.conftest import Data

pytestmark = pytest.mark.django_db
JUNE = "from=2025-06-01&to=2025-06-30"
TEXTS = [
    "La instalación fue un desastre",
    "Instalaron la lavadora rápido",
    "El técnico llegó tarde, pero la instalación quedó perfecta",
    "Repartidor amable; entrega_express en 24h",
    "Precio caro. No volveré",
    "Atención excelente en tienda",
]
QUERIES = [
    "instalacion", "INSTALACIÓN", "insta", "instalación desastre", "tecnico tarde",
    "tarde técnico", "amable", "entrega_express", "24h", "24", "volvere", "caro precio",
    "atencion excelente tienda", "lavadora desastre", "zzz", "e", "x y z",
]  # fmt: skip


@pytest.fixture
def texts(db: None) -> list[Feedback]:
    records = [FeedbackFactory(text=text) for text in TEXTS]
    refresh_pending()  # writes the search documents, as the worker does
    return records


def found(query: str, full_text: bool = True) -> set[str]:
    return set(
        Feedback.objects.filter(matching_text(query, full_text)).values_list("text", flat=True)
    )


def test_the_full_text_index_is_there() -> None:
    # SQLite in the test environment has FTS5; PostgreSQL always has GIN.
    assert _full_text_match(["instal"]) is not None, connection.vendor


@pytest.mark.parametrize("query", QUERIES)
def test_full_text_search_answers_as_reading_the_documents(texts: Any, query: str) -> None:
    assert found(query) == found(query, full_text=False)


@pytest.mark.parametrize("query", ["instalacion", "tarde técnico", "zzz"])
def test_frequent_words_answer_the_same(texts: Any, query: str, monkeypatch: Any) -> None:
    # Words matching FREQUENT documents or more are read in date order, checked per row.
    monkeypatch.setattr(search_index, "FREQUENT", 1)
    assert found(query) == found(query, full_text=False)
    assert found("instalacion") == {TEXTS[0], TEXTS[1], TEXTS[2]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_postgresql_reads_words_its_statistics_call_frequent_row_by_row(
    texts: Any, monkeypatch: Any
) -> None:
    """The planner guesses 2 % for any prefix search; the share of documents ANALYZE found
    for the common words decides instead."""
    monkeypatch.setattr(search_index, "FREQUENT", 2)
    assert _full_text_match(["instal"]) is not None  # never analysed: the index answers
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE metrics_searchdocument")
    assert _full_text_match(["instal"]) is None  # 3 of 6 documents: read row by row
    assert _full_text_match(["instal", "desastr"]) is not None  # the rarer one decides
    assert _full_text_match(["zzz"]) is not None
    assert found("insta") == {TEXTS[0], TEXTS[1], TEXTS[2]} == found("insta", full_text=False)


def test_full_text_search_matches_word_starts_accents_and_endings(texts: Any) -> None:
    install = {TEXTS[0], TEXTS[1], TEXTS[2]}
    assert found("instalación") == found("INSTALACION") == found("insta") == install
    assert found("tarde técnico") == {TEXTS[2]}
    assert found("alacion") == set()  # inside a word, not at its start
    assert found("zzz") == set()
    assert found("   ") == set(TEXTS)  # no words: no condition


def test_the_index_follows_edits_and_deletions(texts: list[Feedback]) -> None:
    edited = texts[4]
    edited.text = "Nevera abollada"
    edited.save(update_fields=["text"])
    index_feedback(edited)
    assert found("nevera") == {"Nevera abollada"} and found("caro") == set()
    edited.text = ""
    edited.save(update_fields=["text"])
    index_feedback(edited)  # an emptied text loses its document
    texts[5].delete()
    assert found("nevera") == set() and found("tienda") == set()
    assert found("nevera", full_text=False) == set()
    if connection.vendor == "sqlite":  # the FTS5 table's own entries follow the documents
        assert indexed("nevera") == indexed("tienda") == indexed("caro") == 0
        assert indexed("instal") == 3


def indexed(word: str) -> int:
    """Entries of the SQLite full-text table holding ``word`` (its index, not its content)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [word])
        return int(cursor.fetchone()[0])


def test_a_search_that_finds_nothing_says_so(data: Data, personas: Any) -> None:
    client = Client()
    client.force_login(personas.admin)
    response = client.get(f"/dashboards/explorer/?{JUNE}&q=zzzqqq")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nada coincide con estos filtros." in body and "0 resultados" in body
