"""Dashboards and explorer pages: Spanish UI, scoping, bad filters, search, exports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from pulso.feedback.events import recorded_payload
from pulso.metrics.jobs import refresh_pending
from pulso.metrics.models import SearchDocument
from pulso.metrics.subscribers import index_recorded
from pulso.surveys.models import Response
from tests.factories import FeedbackFactory
from tests.metrics.conftest import Data
from tests.metrics.factories import ResponseFactory, local

pytestmark = pytest.mark.django_db
JUNE = "from=2025-06-01&to=2025-06-30"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_render_in_spanish(data: Data, org: Any, personas: Any) -> None:
    client = client_for(personas.analyst)
    pages = {
        f"/dashboards/?{JUNE}": "Resumen de experiencia de cliente",
        f"/dashboards/journeys/entrega/?{JUNE}": "Curva de experiencia",
        f"/dashboards/units/norte/?{JUNE}": "Unidad: Norte",
        f"/dashboards/touchpoints/{data.delivery.pk}/?{JUNE}": "Punto de contacto: Entrega",
        f"/dashboards/league/?{JUNE}&kind=region": "Clasificación de unidades",
        f"/dashboards/explorer/?{JUNE}": "Explorador de opiniones",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    overview = client.get(f"/dashboards/?{JUNE}").content.decode()
    assert "base baja" in overview and "vega-embed" in overview


def test_empty_dashboard_says_no_data(db: None, personas: Any) -> None:
    body = client_for(personas.admin).get("/dashboards/").content.decode()
    assert "sin datos" in body and "nan" not in body.lower().replace("financ", "")


@pytest.mark.parametrize(
    "query",
    ["journey=no-existe", "from=2025-13-45", "by=century",
     "unit=no-such-unit", "touchpoint=abc", "from=%ZZ&to="],
)  # fmt: skip
def test_bad_filters_are_a_clear_400(data: Data, personas: Any, query: str) -> None:
    response = client_for(personas.admin).get(f"/dashboards/?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "Corrige los filtros" in response.content.decode()


def test_units_outside_the_scope_are_not_found(data: Data, personas: Any) -> None:
    manager = client_for(personas.store_manager)
    assert manager.get("/dashboards/units/bilbao/").status_code == 200
    assert manager.get("/dashboards/units/sevilla/").status_code == 404
    assert manager.get("/dashboards/?unit=sevilla").status_code == 400


def test_a_late_and_a_deleted_response_change_the_dashboard(
    data: Data, org: Any, personas: Any
) -> None:
    client = client_for(personas.admin)
    url = f"/dashboards/units/sevilla/?{JUNE}"
    assert "n = 4" in client.get(url).content.decode()
    Response.objects.bulk_record(
        [ResponseFactory.build(survey=data.survey, nps=10, org_unit=org.south_store,
                               submitted_at=local(2025, 6, 2))]
    )  # fmt: skip
    assert "n = 4" in client.get(url).content.decode()  # reads never refresh
    refresh_pending()  # the worker's five-minute job
    assert "n = 5" in client.get(url).content.decode()
    Response.objects.filter(org_unit=org.south_store, nps=2).delete()
    refresh_pending()
    assert "n = 4" in client.get(url).content.decode()


def test_explorer_search_ignores_accents_and_word_endings(data: Data, personas: Any) -> None:
    client = client_for(personas.admin)
    for query in ["instalacion", "INSTALACIÓN", "instalaron", "instalar"]:
        body = client.get(f"/dashboards/explorer/?{JUNE}&q={query}").content.decode()
        assert "La instalación fue un desastre" in body, query
        assert "Instalaron la lavadora rápido" in body, query
    body = client.get(f"/dashboards/explorer/?{JUNE}&q=desastre+instalacion").content.decode()
    assert "2 resultados" not in body and "1 resultado" in body


def test_explorer_includes_bulk_created_comments_and_feedback(
    data: Data, org: Any, personas: Any
) -> None:
    Response.objects.bulk_record(
        [ResponseFactory.build(survey=data.survey, nps=3, org_unit=org.north_store,
                               submitted_at=local(2025, 6, 20), comment="Técnico muy amable")]
    )  # fmt: skip
    FeedbackFactory(text="El técnico llegó tarde", received_at=local(2025, 6, 21),
                        org_unit=org.north_store)  # fmt: skip
    refresh_pending()  # indexes what bulk_create wrote (no event announced it)
    body = (
        client_for(personas.admin).get(f"/dashboards/explorer/?{JUNE}&q=tecnico").content.decode()
    )
    assert "Técnico muy amable" in body and "El técnico llegó tarde" in body
    assert SearchDocument.objects.filter(feedback__source="review").exists()


def test_explorer_filters_and_scoping(data: Data, personas: Any) -> None:
    admin = client_for(personas.admin).get(f"/dashboards/explorer/?{JUNE}&group=detractor")
    assert "6 resultados" in admin.content.decode()  # the explorer shows employees' answers too
    viewer = client_for(personas.viewer).get(f"/dashboards/explorer/?{JUNE}&group=detractor")
    assert "3 resultados" in viewer.content.decode()  # the south store only
    sentiment = client_for(personas.admin).get(f"/dashboards/explorer/?{JUNE}&sentiment=negative")
    assert "0 resultados" in sentiment.content.decode()  # no text analysis yet: nothing odd


def test_csv_and_xlsx_exports_hold_the_filtered_rows(data: Data, personas: Any) -> None:
    client = client_for(personas.viewer)
    response = client.get(f"/dashboards/explorer/export.csv?{JUNE}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Tipo", "Id", "Fecha"]
    assert len(rows) == 1 + 4 and "La instalación fue un desastre" in text
    workbook = load_workbook(
        io.BytesIO(
            b"".join(client.get(f"/dashboards/explorer/export.xlsx?{JUNE}").streaming_content)
        )
    )
    assert workbook.active.max_row == 1 + 4


def test_new_and_edited_comments_are_indexed_by_the_worker(
    data: Data, org: Any, personas: Any
) -> None:
    response = ResponseFactory(
        survey=data.survey,
        nps=4,
        org_unit=org.north_store,
        submitted_at=local(2025, 6, 25),
        comment="Nevera abollada",
    )
    # New responses add no statement to the write: their day's refresh indexes them.
    assert not SearchDocument.objects.filter(feedback=response.feedback).exists()
    client = client_for(personas.admin)
    assert (
        "Nevera abollada"
        not in client.get(f"/dashboards/explorer/?{JUNE}&q=nevera").content.decode()
    )
    refresh_pending()
    assert (
        "Nevera abollada" in client.get(f"/dashboards/explorer/?{JUNE}&q=nevera").content.decode()
    )
    assert SearchDocument.objects.filter(feedback=response.feedback).exists()
    response.comment = "Lavavajillas rayado"
    response.save(update_fields=["comment"])
    # Whoever edits a response announces it (the admin does); the search subscriber follows.
    index_recorded(recorded_payload([response.feedback_id]))
    body = client.get(f"/dashboards/explorer/?{JUNE}&q=lavavajillas").content.decode()
    assert "Lavavajillas rayado" in body
    assert (
        "Lavavajillas rayado"
        not in client.get(f"/dashboards/explorer/?{JUNE}&q=nevera").content.decode()
    )
