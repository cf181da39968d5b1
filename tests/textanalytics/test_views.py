from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.textanalytics import actions
from pulso.textanalytics.models import TextJob, Topic
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/text/", "/text/topics/", "/text/models/", "/text/themes/"])
def test_pages_need_a_login(client: Client, url: str) -> None:
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("url", ["/text/", "/text/topics/", "/text/models/", "/text/themes/"])
def test_everyone_reads_the_pages(personas: Any, client: Client, url: str) -> None:
    client.force_login(personas.viewer)
    response = client.get(url)
    assert response.status_code == 200
    assert "Análisis de texto" in response.content.decode()


def test_overview_shows_the_active_analyser_and_counts(
    org: Any, personas: Any, client: Client
) -> None:
    factories.feedback(["La tienda muy limpia", "😀", "Pésimo servicio"], org.north_store)
    actions.do_analyse_pending()
    client.force_login(personas.analyst)
    html = client.get("/text/").content.decode()
    assert "Léxico de arranque (aún no hay suficientes comentarios valorados)" in html
    assert '<p class="stat">2</p>' in html and '<p class="stat">1</p>' in html
    assert 'id="sentiment-spec"' in html and "vega-embed-7.3.0.min.js" in html


def test_retraining_from_the_ui_is_for_analysts(personas: Any, client: Client) -> None:
    client.force_login(personas.viewer)
    assert client.post("/text/models/retrain/").status_code == 403
    client.force_login(personas.analyst)
    response = client.post("/text/models/retrain/")
    assert response.status_code == 302
    assert TextJob.objects.get().kind == TextJob.Kind.RETRAIN


def test_topic_comments_are_scoped(org: Any, personas: Any, client: Client) -> None:
    survey = factories.survey()
    factories.responses(survey, [("La entrega llegó tarde a Bilbao", 2)], org.north_store)
    factories.responses(survey, [("La entrega llegó tarde a Sevilla", 2)], org.south_store)
    actions.do_analyse_pending()
    topic = Topic.objects.get(slug="entrega")
    client.force_login(personas.store_manager)
    html = client.get(f"/text/topics/{topic.pk}/").content.decode()
    assert "Bilbao" in html and "Sevilla" not in html
    assert "Editar tema" not in html


def test_job_progress_partial_polls_while_running(personas: Any, client: Client) -> None:
    job = TextJob.objects.create(
        kind=TextJob.Kind.REPROCESS_TOPICS, total=10, done=4, status="running"
    )
    client.force_login(personas.viewer)
    html = client.get(f"/text/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html and "4 de 10" in html
