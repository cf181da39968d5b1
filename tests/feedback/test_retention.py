"""Retention: the daily job masks details in old comments and erases long-inactive customers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pulso.core.models import AuditEvent, RetentionMark
from pulso.core.retention import AFTER_EXPIRY, after_expiry, apply_retention
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback
from pulso.lib.search import search_tokens
from pulso.metrics.models import SearchDocument
from pulso.metrics.search_index import FTS_TABLE, index_records
from pulso.surveys import actions
from pulso.surveys.models import Channel
from tests.factories import CustomerFactory, FeedbackFactory
from tests.surveys.factories import EVERY_KIND, make_survey

pytestmark = pytest.mark.django_db

KEEP_FOR_EVER = {"personal_data": 0, "comment_details": 0}
ONE_AND_TWO_YEARS = {"personal_data": 730, "comment_details": 365}


def days_ago(days: int) -> timezone.datetime:
    return timezone.now() - timedelta(days=days)


def old_customer(days: int) -> Customer:
    customer = CustomerFactory(phone="+34 600 111 222")
    Customer.objects.filter(pk=customer.pk).update(created_at=days_ago(days))
    return customer


@override_settings(PULSO_RETENTION_DAYS=ONE_AND_TWO_YEARS)
def test_details_in_comments_older_than_the_period_are_masked() -> None:
    old = FeedbackFactory(
        text="Llamadme al 612 345 678, soy ana@example.com", received_at=days_ago(400)
    )
    recent = FeedbackFactory(text="Escribid a ana@example.com", received_at=days_ago(30))
    survey = make_survey(questions=EVERY_KIND)
    response = actions.do_record_response(
        survey, {"nps": 3, "why_low": "Mi DNI es 12345678Z y nadie me llamó"},
        channel=Channel.LINK, submitted_at=days_ago(500),
    )  # fmt: skip

    changed = apply_retention(timezone.now())

    old.refresh_from_db()
    recent.refresh_from_db()
    assert "612 345 678" not in old.text and "ana@example.com" not in old.text
    assert old.text.startswith("Llamadme al ")
    assert recent.text == "Escribid a ana@example.com"
    response.refresh_from_db()
    assert "12345678Z" not in response.comment and "nadie me llamó" in response.comment
    assert "12345678Z" not in response.answers.get(question__key="why_low").text
    assert "12345678Z" not in Feedback.objects.get(pk=response.feedback_id).text
    assert changed["comment_details"] == 4  # two records, the response's comment and answer
    mark = RetentionMark.objects.get(kind="comment_details")
    assert mark.through is not None and mark.through < days_ago(364)
    assert AuditEvent.objects.filter(verb="retention.applied").count() == 2


@override_settings(PULSO_RETENTION_DAYS=ONE_AND_TWO_YEARS)
def test_customers_inactive_for_the_period_are_erased_the_others_kept() -> None:
    gone = old_customer(900)
    FeedbackFactory(customer=gone, text="Soy cliente desde hace años", received_at=days_ago(800))
    active = old_customer(900)
    FeedbackFactory(customer=active, received_at=days_ago(10))
    newcomer = CustomerFactory()

    assert apply_retention(timezone.now())["personal_data"] == 1

    gone.refresh_from_db()
    assert (gone.name, gone.email, gone.phone) == ("", "", "")
    assert Feedback.objects.filter(customer=gone).count() == 1  # the answer and its score stay
    for kept in (active, newcomer):
        kept.refresh_from_db()
        assert kept.name and kept.email
    assert apply_retention(timezone.now())["personal_data"] == 0  # nothing left to erase


@override_settings(PULSO_RETENTION_DAYS=KEEP_FOR_EVER)
def test_nothing_expires_unless_a_period_is_set() -> None:
    record = FeedbackFactory(text="ana@example.com", received_at=days_ago(3000))
    customer = old_customer(3000)
    assert apply_retention(timezone.now()) == {}
    record.refresh_from_db()
    customer.refresh_from_db()
    assert record.text == "ana@example.com" and customer.email
    assert not RetentionMark.objects.exists()


@override_settings(PULSO_RETENTION_DAYS=ONE_AND_TWO_YEARS)
def test_a_late_import_of_old_comments_is_masked_by_the_next_run() -> None:
    assert apply_retention(timezone.now())["comment_details"] == 0
    late = FeedbackFactory(text="ana@example.com", received_at=days_ago(600))
    assert apply_retention(timezone.now())["comment_details"] == 1
    late.refresh_from_db()
    assert late.text != "ana@example.com"
    assert apply_retention(timezone.now())["comment_details"] == 0  # masking is done once


@override_settings(PULSO_RETENTION_DAYS=ONE_AND_TWO_YEARS)
def test_what_follows_an_expiry_runs_only_after_a_pass_that_changed_rows() -> None:
    calls: list[int] = []

    def count() -> None:
        calls.append(1)

    FeedbackFactory(text="Soy ana@example.com", received_at=days_ago(400))
    after_expiry(count)
    try:
        assert apply_retention(timezone.now())["comment_details"] == 1
        assert len(calls) == 1
        assert apply_retention(timezone.now())["comment_details"] == 0
        assert len(calls) == 1  # nothing changed: nothing to purge
    finally:
        AFTER_EXPIRY.remove(count)


def words_in_search_index(words: list[str], *, documents: bool = True) -> list[str]:
    """The ``words`` (normalised like search documents) found in the search documents and, read
    raw, in SQLite's full-text index, where a removed document's words stay until its segments
    are merged. A word is looked for without its first two letters, which a segment may share
    with the word before it and store once (so the words must be long and rare)."""
    tails = {word: word[2:].encode() for word in search_tokens(" ".join(words))}
    assert all(len(tail) >= 5 for tail in tails.values())
    blobs = []
    if documents:
        blobs = [text.encode() for text in SearchDocument.objects.values_list("text", flat=True)]
    with connection.cursor() as cursor:
        for table in full_text_tables():
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            blobs += [bytes(v) for row in cursor.fetchall() for v in row if isinstance(v, bytes)]
    return sorted(word for word, tail in tails.items() if any(tail in blob for blob in blobs))


def full_text_tables() -> list[str]:
    """SQLite's full-text table and the tables that hold its index (none on PostgreSQL)."""
    return [t for t in connection.introspection.table_names() if t.startswith(FTS_TABLE)]


def index_merges(queries: CaptureQueriesContext) -> int:
    """How many times SQLite's full-text index was merged (FTS5's 'optimize' command)."""
    return sum(f"({FTS_TABLE}) VALUES ('optimize')" in q["sql"] for q in queries)


@override_settings(PULSO_RETENTION_DAYS=ONE_AND_TWO_YEARS)
def test_a_pass_erasing_several_customers_merges_the_search_index_once() -> None:
    names = ["Gumersindo Quintanilla", "Eustaquio Villalobos", "Hermenegilda Zurbaranes"]
    records = []
    for name in names:
        customer = old_customer(900)
        Customer.objects.filter(pk=customer.pk).update(name=name)
        text = f"Soy {name}, el pedido llegó tarde"
        records.append(FeedbackFactory(customer=customer, text=text, received_at=days_ago(800)))
    records.append(FeedbackFactory(text="Escribid a otro@example.com", received_at=days_ago(400)))
    index_records([record.pk for record in records])
    words = " ".join(names).split()
    everyone = sorted(set(search_tokens(" ".join(words))))
    assert words_in_search_index(words) == everyone
    if full_text_tables():  # SQLite: the raw index holds them too
        assert words_in_search_index(words, documents=False) == everyone

    with CaptureQueriesContext(connection) as queries:
        changed = apply_retention(timezone.now())

    assert changed == {"personal_data": 3, "comment_details": 1}  # both kinds changed rows
    assert words_in_search_index(words) == []
    assert index_merges(queries) == (1 if full_text_tables() else 0)  # PostgreSQL: no merge
