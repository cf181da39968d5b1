from __future__ import annotations

from typing import Any

import pytest
import segno
from django.test import Client
from django.urls import reverse

from pulso.surveys import actions, qr
from pulso.surveys.models import Question, Response, Survey
from tests.conftest import Org, Personas
from tests.factories import TouchpointFactory
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db

EDITORS = {"admin", "analyst"}
READERS = ["admin", "analyst", "store_manager", "agent", "viewer"]


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def survey() -> Survey:
    return make_survey("nps", name="Tienda · Pago en caja")


def test_anonymous_is_sent_to_login(client: Client, survey: Survey) -> None:
    for name in ["surveys:list", "surveys:create"]:
        assert client.get(reverse(name))["Location"].startswith("/accounts/login/")
    response = client.get(reverse("surveys:qr_png", args=[survey.pk]))
    assert response.status_code == 302


def test_people_without_a_unit_see_no_surveys(
    client: Client, personas: Personas, survey: Survey
) -> None:
    login(client, personas.outsider)
    assert client.get(reverse("surveys:list")).status_code == 403
    assert client.get(reverse("surveys:detail", args=[survey.pk])).status_code == 403


@pytest.mark.parametrize("persona", READERS)
def test_everyone_logged_in_reads_but_only_editors_change(
    client: Client, personas: Personas, survey: Survey, persona: str
) -> None:
    login(client, getattr(personas, persona))
    assert client.get(reverse("surveys:list")).status_code == 200
    detail = client.get(reverse("surveys:detail", args=[survey.pk]))
    assert detail.status_code == 200 and "Tienda · Pago en caja" in html(detail)
    assert client.get(reverse("surveys:preview", args=[survey.pk])).status_code == 200
    expected = 302 if persona in EDITORS else 403
    assert client.get(reverse("surveys:create")).status_code == (200 if expected == 302 else 403)
    assert client.post(reverse("surveys:start_draft", args=[survey.pk])).status_code == expected
    assert client.post(reverse("surveys:close", args=[survey.pk])).status_code == expected
    survey.refresh_from_db()
    assert survey.status == ("closed" if persona in EDITORS else "live")
    assert ("Editar preguntas" in html(detail)) is (persona in EDITORS)


def test_list_shows_status_touchpoint_scoped_counts_and_paginates(
    client: Client, personas: Personas, org: Org, survey: Survey
) -> None:
    actions.do_record_response(survey, {"nps": 10}, channel="link", org_unit=org.north_store)
    actions.do_record_response(survey, {"nps": 2}, channel="link", org_unit=org.south_store)
    for n in range(26):
        make_survey("csat", name=f"Zona {n:02d}", publish=False)
    page = html(login(client, personas.admin).get(reverse("surveys:list")))
    assert "Tienda · Pago en caja" in page and "Activa" in page
    assert survey.touchpoint.name in page and "Página 1 de 2" in page
    assert '<td class="num">2</td>' in page
    manager_page = html(login(client, personas.store_manager).get(reverse("surveys:list")))
    assert '<td class="num">1</td>' in manager_page  # only the north store's response
    second = html(client.get(reverse("surveys:list") + "?page=2&status=draft"))
    assert "Zona 25" in second and "Tienda · Pago en caja" not in second


def test_empty_state_invites_editors_to_create(client: Client, personas: Personas) -> None:
    page = html(login(client, personas.analyst).get(reverse("surveys:list")))
    assert "Crear la primera encuesta" in page
    assert "Crear la primera encuesta" not in html(
        login(client, personas.viewer).get(reverse("surveys:list"))
    )


def test_analyst_creates_edits_and_publishes_a_survey(
    client: Client, personas: Personas, org: Org
) -> None:
    touchpoint = TouchpointFactory(name="Entrega a domicilio")
    login(client, personas.analyst)
    response = client.post(
        reverse("surveys:create"),
        {"name": "Entrega", "touchpoint": touchpoint.pk, "org_unit": org.north.pk,
         "template": "ces"},
    )  # fmt: skip
    survey = Survey.objects.get(name="Entrega")
    assert response["Location"] == reverse("surveys:edit", args=[survey.pk])
    assert survey.org_unit == org.north and survey.status == "draft"
    edit = html(client.get(response["Location"]))
    assert "Versión en borrador 1" in edit and "¿Qué tan fácil te resultó" in edit
    added = client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"kind": "single", "text_es": "¿Qué gestionabas?", "text_en": "What for?",
         "choices_text": "Una compra | A purchase\ndevolucion | Una devolución | A return"},
    )  # fmt: skip
    assert added.status_code == 302
    question = Question.objects.get(text_es="¿Qué gestionabas?")
    assert question.key == "que_gestionabas" and question.position == 2
    assert question.choices == [
        {"value": "una-compra", "es": "Una compra", "en": "A purchase"},
        {"value": "devolucion", "es": "Una devolución", "en": "A return"},
    ]
    follow_up = client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"kind": "text", "text_es": "¿Qué falló en la devolución?", "key": "return_issue",
         "condition_question": "que_gestionabas", "condition_values": "devolucion"},
    )  # fmt: skip
    assert follow_up.status_code == 302
    assert Question.objects.get(key="return_issue").show_if == {
        "question": "que_gestionabas", "values": ["devolucion"]
    }  # fmt: skip
    assert client.post(reverse("surveys:publish", args=[survey.pk])).status_code == 302
    survey.refresh_from_db()
    assert survey.status == "live" and survey.current_version is not None
    assert survey.current_version.questions.count() == 4


def test_question_form_errors_are_shown_not_500(
    client: Client, personas: Personas, survey: Survey
) -> None:
    login(client, personas.admin)
    client.post(reverse("surveys:start_draft", args=[survey.pk]))
    response = client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"kind": "multiple", "text_es": "Temas", "key": "nps", "choices_text": "",
         "condition_question": "nps"},
    )  # fmt: skip
    page = html(response)
    assert response.status_code == 400
    assert "Otra pregunta de esta versión usa esta clave." in page
    assert "Añade al menos una opción." in page
    assert "Elige al menos un grupo NPS." in page
    reserved = client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"kind": "text", "text_es": "Página", "key": "page"},
    )
    assert "Esta clave está reservada; elige otra." in html(reserved)


def test_inline_edit_with_htmx_returns_the_row(
    client: Client, personas: Personas, survey: Survey
) -> None:
    login(client, personas.admin)
    client.post(reverse("surveys:start_draft", args=[survey.pk]))
    draft = actions.draft_version(survey)
    assert draft is not None
    question = draft.questions.get(key="nps")
    url = reverse("surveys:question_edit", args=[question.pk])
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert "<form" in html(form) and "<html" not in html(form)
    saved = client.post(
        url, {"kind": "nps", "text_es": "¿Nos recomendarías?", "key": "nps", "required": "on"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert saved.status_code == 200 and 'id="question-' in html(saved)
    assert "¿Nos recomendarías?" in html(saved)
    question.refresh_from_db()
    assert question.text_es == "¿Nos recomendarías?" and question.required
    live = survey.current_version
    assert live is not None and live.questions.get(key="nps").text_es.startswith("¿Con qué")


def test_published_questions_cannot_be_edited(
    client: Client, personas: Personas, survey: Survey
) -> None:
    assert survey.current_version is not None
    question = survey.current_version.questions.get(key="nps")
    login(client, personas.admin)
    assert client.get(reverse("surveys:question_edit", args=[question.pk])).status_code == 404
    assert client.post(reverse("surveys:question_delete", args=[question.pk])).status_code == 404


def test_reorder_and_delete_buttons_work_without_js(client: Client, personas: Personas) -> None:
    survey = make_survey("csat", publish=False)
    login(client, personas.admin)
    draft = actions.draft_version(survey)
    assert draft is not None
    comment = draft.questions.get(key="comment")
    client.post(reverse("surveys:question_move", args=[comment.pk]), {"direction": "up"})
    assert list(draft.questions.values_list("key", flat=True)) == ["comment", "csat"]
    client.post(reverse("surveys:question_delete", args=[comment.pk]))
    assert list(draft.questions.values_list("key", flat=True)) == ["csat"]


def test_publishing_an_empty_draft_shows_why(client: Client, personas: Personas) -> None:
    survey = make_survey("blank", publish=False)
    login(client, personas.admin)
    response = client.post(reverse("surveys:publish", args=[survey.pk]), follow=True)
    assert "Añade al menos una pregunta antes de publicar." in html(response)
    assert Survey.objects.get(pk=survey.pk).status == "draft"


def test_preview_renders_every_question_and_saves_nothing(
    client: Client, personas: Personas, survey: Survey
) -> None:
    page = html(login(client, personas.viewer).get(reverse("surveys:preview", args=[survey.pk])))
    assert "Vista previa" in page and "¿Qué es lo que más te gustó?" in page
    assert "<form" not in page and not Response.objects.exists()
    english = html(client.get(reverse("surveys:preview", args=[survey.pk]) + "?lang=en"))
    assert "What did you like most?" in english


def test_qr_png_svg_and_poster(client: Client, personas: Personas, org: Org, settings: Any) -> None:
    settings.PULSO_BASE_URL = "https://opina.example.com/"
    survey = make_survey("nps")
    login(client, personas.store_manager)
    url = f"https://opina.example.com/s/{survey.public_token}/?c=qr"
    assert qr.survey_url(survey) == url
    png = client.get(reverse("surveys:qr_png", args=[survey.pk]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert png.content == qr.qr_png(url)
    svg = client.get(reverse("surveys:qr_svg", args=[survey.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert url.encode() in svg.content  # the title names the link the code encodes
    assert qr.make_qr(url).matrix == segno.make(url, error="m").matrix
    unit_svg = client.get(reverse("surveys:qr_svg", args=[survey.pk]) + "?unit=bilbao")
    assert f"/s/{survey.public_token}/u/bilbao/?c=qr".encode() in unit_svg.content
    pdf = client.get(reverse("surveys:poster", args=[survey.pk]) + "?unit=bilbao")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert len(pdf.content) > 2000
    poster = qr.poster_svg(survey, org.north_store)
    assert "Escanea el código" in poster and "Tienda Bilbao" in poster
    assert client.get(reverse("surveys:qr_png", args=[survey.pk]) + "?unit=nope").status_code == 404
