from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pulso.textanalytics import actions
from pulso.textanalytics.models import EmergingTheme, TextAnalysis, Topic
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db

LIFT = [
    "me cobraron un recargo por subir la lavadora sin ascensor",
    "recargo abusivo porque mi piso no tiene ascensor",
    "sin ascensor te cobran un recargo de treinta euros",
    "el recargo por piso sin ascensor es un abuso",
]
APP = [
    "la app se cuelga al pagar con tarjeta",
    "imposible pagar, la app se cuelga cada vez",
    "la app se queda colgada en el pago con tarjeta",
]


@pytest.fixture
def uncovered_complaints(org: Any) -> list[Any]:
    """Negative comments about two issues no (active) topic covers."""
    Topic.objects.update(is_active=False)
    survey = factories.survey()
    rows = factories.responses(survey, [(t, 1) for t in LIFT * 6], org.north_store, spread_days=20)
    rows += factories.responses(survey, [(t, 2) for t in APP * 6], org.south_store, spread_days=20)
    actions.do_analyse_pending()
    TextAnalysis.objects.update(sentiment="negative")  # as a trained model would say
    return rows


def test_themes_are_found_in_uncovered_negative_comments(uncovered_complaints: Any) -> None:
    themes = actions.do_find_emerging_themes()
    uncovered = [t for t in themes if t.kind == EmergingTheme.Kind.UNCOVERED]
    words = [set(" ".join(t.words).split()) for t in uncovered]
    assert any({"recargo", "ascensor"} & w for w in words)
    assert any({"app", "cuelga", "tarjeta"} & w for w in words)
    # The lift complaints may form one cluster or one per phrasing; none mixes in the app ones.
    lift = [t for t, w in zip(uncovered, words, strict=True) if {"ascensor", "recargo"} & w]
    lift_ids = {pk for t in lift for pk in t.member_ids}
    lift_texts = set(
        TextAnalysis.objects.filter(pk__in=lift_ids).values_list("feedback__text", flat=True)
    )
    assert lift_texts <= set(LIFT) and len(lift_ids) >= 12
    for theme in lift:
        assert theme.size == theme.recent_count == sum(week["count"] for week in theme.trend)
        assert len(theme.trend) == 8 and theme.suggested_rule and theme.example_ids


def test_a_new_search_replaces_unreviewed_themes_only(uncovered_complaints: Any) -> None:
    first = actions.do_find_emerging_themes()
    actions.do_dismiss_theme(first[0])
    second = actions.do_find_emerging_themes()
    assert EmergingTheme.objects.filter(status="dismissed").count() == 1
    assert EmergingTheme.objects.filter(status="new").count() == len(second)


def test_promoting_a_theme_creates_a_topic_and_matches_history(
    uncovered_complaints: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
    personas: Any,
    client: Client,
) -> None:
    actions.do_find_emerging_themes()
    theme = (
        EmergingTheme.objects.filter(words__icontains="ascensor").first()
        or EmergingTheme.objects.first()
    )
    client.force_login(personas.analyst)
    page = client.get(f"/text/themes/{theme.pk}/").content.decode()
    assert "Promover a tema" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/text/themes/{theme.pk}/",
            {"name_es": "Recargo sin ascensor", "rule_es": "ascensor NEAR/5 (recargo OR cobr*)"},
        )
    assert response.status_code == 302
    topic = Topic.objects.get(name_es="Recargo sin ascensor")
    theme.refresh_from_db()
    assert theme.status == "promoted" and theme.topic == topic and topic.origin == "theme"
    assert topic.mentions.count() == 12  # 2 of the 4 phrasings have the charge within 5 words


def test_promotion_with_a_bad_rule_shows_the_error(
    uncovered_complaints: Any, personas: Any, client: Client
) -> None:
    theme = actions.do_find_emerging_themes()[0]
    client.force_login(personas.analyst)
    response = client.post(f"/text/themes/{theme.pk}/", {"name_es": "X", "rule_es": "ascensor AND"})
    assert response.status_code == 400 and "Error de sintaxis" in response.content.decode()
    theme.refresh_from_db()
    assert theme.status == "new"


def test_theme_examples_are_scoped(
    uncovered_complaints: Any, personas: Any, client: Client
) -> None:
    actions.do_find_emerging_themes()
    theme = next(t for t in EmergingTheme.objects.all() if "app" in " ".join(t.words))
    client.force_login(personas.store_manager)  # north store: the app complaints are from the south
    html = client.get(f"/text/themes/{theme.pk}/").content.decode()
    assert "la app se cuelga" not in html.lower()
    assert "Ningún ejemplo que puedas ver." in html
    assert "Promover a tema" not in html


def test_growing_topics_are_flagged(org: Any) -> None:
    survey = factories.survey()
    now = timezone.now()
    for week in range(1, 12):
        factories.responses(
            survey, [("la entrega llegó tarde", 3)], when=now - timedelta(days=7 * week + 1)
        )
    factories.responses(
        survey, [("la entrega llegó tarde otra vez", 3)] * 12, when=now - timedelta(hours=2)
    )
    actions.do_analyse_pending()
    themes = actions.do_find_emerging_themes()
    growing = {t.topic.slug for t in themes if t.kind == EmergingTheme.Kind.GROWING}
    assert "entrega-retraso" in growing
