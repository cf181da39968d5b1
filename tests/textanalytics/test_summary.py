"""The extractive summary of a set of comments: themes, counts and a sentence customers wrote."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pulso.feedback.models import Feedback
from pulso.textanalytics import actions, summary
from pulso.textanalytics.models import TextAnalysis
from tests.factories import UserFactory
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db

LATE = [
    "El pedido llegó con una semana de retraso, fatal.",
    "Pésimo, el pedido llegó tarde otra vez.",
    "El paquete llegó con retraso y nadie avisó.",
    "Horrible: el pedido llegó tarde y sin avisar.",
]
KIND = [
    "La dependienta fue muy amable.",
    "El personal muy amable y atento.",
    "Excelente trato del personal, muy amable.",
]


def _comments(texts: list[str], unit: Any, days_ago: int = 3) -> list[Feedback]:
    items = factories.feedback(texts, org_unit=unit)
    when = timezone.now() - timedelta(days=days_ago)
    Feedback.objects.filter(pk__in=[i.pk for i in items]).update(received_at=when)
    actions.do_analyse_items([i.pk for i in items])
    return items


def test_themes_count_comments_and_quote_a_representative_sentence(org: Any) -> None:
    _comments(LATE + KIND, org.north_store)
    result = summary.summarise(TextAnalysis.objects.all())
    assert result.comments == 7
    themes = {(t.topic, t.sentiment): t for t in result.themes}
    late = themes[("Entrega", "negative")]
    assert late.comments == 4 and late.percent == 57
    assert any(late.sentence in text for text in LATE)
    staff = themes[("Atención del personal", "positive")]
    assert staff.comments == 3 and "amable" in staff.sentence
    assert result.themes[0].comments >= result.themes[-1].comments


def test_representative_is_the_sentence_most_like_the_others() -> None:
    sentences = ["la cola era eterna", "esperé mucho en la cola de caja", "la cola de caja eterna"]
    assert summary.representative(sentences) == "la cola de caja eterna"
    assert summary.representative(["solo una"]) == "solo una"
    assert summary.representative(["123", "456", "789"]) == "123"


def test_the_page_filters_by_store_and_period_and_shows_only_visible_units(
    client: Any, org: Any
) -> None:
    _comments(LATE, org.north_store)
    _comments(KIND, org.south_store)
    _comments(["El pedido llegó tarde, como siempre."], org.north_store, days_ago=60)
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    url = reverse("textanalytics:summary")
    page = client.get(url, {"unit": org.north_store.pk}).content.decode()
    assert "4 comentarios analizados" in page and "Entrega" in page
    assert "amable" not in page  # the other store's comments
    start = (timezone.localdate() - timedelta(days=90)).isoformat()
    page = client.get(url, {"unit": org.north_store.pk, "start": start}).content.decode()
    assert "5 comentarios analizados" in page
    bad = client.get(url, {"start": "2026-12-31", "end": "2026-01-01"})
    assert bad.status_code == 200
    assert "La fecha de inicio debe ser anterior o igual a la de fin." in bad.content.decode()
    assert client.get(url, {"unit": "999999"}).status_code == 200  # an unknown unit: form error
