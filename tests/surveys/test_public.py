from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from pulso.surveys import actions
from pulso.surveys.models import Branding, Channel, Invitation, Response, Survey
from tests.conftest import Org
from tests.factories import CustomerFactory
from tests.surveys.factories import EVERY_KIND, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


@pytest.fixture
def survey() -> Survey:
    return make_survey("nps")


def open_url(survey: Survey, query: str = "") -> str:
    return reverse("public:open", args=[survey.public_token]) + query


def body(response: Any) -> str:
    return response.content.decode()


def test_open_link_shows_the_nps_question_in_spanish(client: Client, survey: Survey) -> None:
    response = client.get(open_url(survey))
    html = body(response)
    assert response.status_code == 200 and response["Content-Language"] == "es"
    assert "¿Con qué probabilidad nos recomendarías a un amigo o familiar?" in html
    assert html.count('type="radio" id="q-nps-') == 11
    assert '<fieldset class="sv-question sv-scale"' in html and "<legend" in html
    assert "Nada probable" in html and "Siguiente" in html
    assert "¿Qué deberíamos mejorar?" not in html  # the follow-up waits for the score


def test_no_js_flow_shows_the_follow_up_of_the_group_then_thanks(
    client: Client, survey: Survey
) -> None:
    first = client.post(open_url(survey, "?c=qr"), {"page": "0", "nps": "3"})
    html = body(first)
    assert first.status_code == 200
    assert "¿Qué deberíamos mejorar?" in html and "¿Qué es lo que más te gustó?" not in html
    partial = Response.objects.get()
    assert not partial.is_complete and partial.nps == 3 and partial.channel == Channel.QR
    progress = html.split('name="progress" value="')[1].split('"')[0]
    done = client.post(
        open_url(survey, "?c=qr"),
        {"page": "1", "progress": progress, "detractor_comment": "La cola era larguísima"},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("public:thanks", args=[survey.public_token]) + "?lang=es"
    response = Response.objects.get()
    assert response.is_complete and response.comment == "La cola era larguísima"
    thanks = client.get(done["Location"])
    assert "¡Gracias!" in body(thanks) and "Leemos todas las opiniones" in body(thanks)


def test_back_button_keeps_the_answers(client: Client, survey: Survey) -> None:
    first = body(client.post(open_url(survey), {"page": "0", "nps": "9"}))
    progress = first.split('name="progress" value="')[1].split('"')[0]
    back = body(client.post(open_url(survey), {"page": "1", "progress": progress, "back": "1"}))
    assert 'id="q-nps-9" name="nps" value="9" checked' in back


def test_validation_errors_re_render_the_page_in_the_respondents_language(
    client: Client, survey: Survey
) -> None:
    missing = client.post(open_url(survey), {"page": "0"})
    assert missing.status_code == 400
    assert "Esta pregunta es obligatoria." in body(missing) and 'role="alert"' in body(missing)
    wrong = client.post(open_url(survey, "?lang=en"), {"page": "0", "nps": "12"})
    assert wrong.status_code == 400 and "Value out of range (0–10)." in body(wrong)
    assert 'lang="en"' in body(wrong) and not Response.objects.exists()


def test_accept_language_picks_english(client: Client, survey: Survey) -> None:
    html = body(client.get(open_url(survey), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"))
    assert "How likely are you to recommend us to a friend or relative?" in html


def test_single_page_survey_with_every_kind_is_stored_at_once(client: Client) -> None:
    survey = make_survey(questions=[q for q in EVERY_KIND if "show_if" not in q])
    page = body(client.get(open_url(survey)))
    assert 'type="checkbox"' in page and "<textarea" in page
    response = client.post(
        open_url(survey),
        {"page": "0", "nps": "10", "csat": "5", "ces": "6", "stars": "8", "reason": "entrega",
         "topics": ["precio", "atencion"], "comment": "Todo perfecto"},
    )  # fmt: skip
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.is_complete and (stored.nps, stored.csat, stored.ces) == (10, 5, 6)
    topics = stored.answers.get(question__key="topics")
    assert topics.choices == ["precio", "atencion"]


def test_choice_condition_opens_a_page_only_for_that_choice(client: Client) -> None:
    survey = make_survey(questions=EVERY_KIND)
    client.post(open_url(survey), {"page": "0", "nps": "9"})
    progress = Response.objects.get()
    token = signing.dumps(progress.pk, salt="pulso.surveys.progress")
    second = body(
        client.post(open_url(survey), {"page": "1", "progress": token, "reason": "precio"})
    )
    assert "¿Qué precio esperabas?" in second and "¿Qué deberíamos mejorar?" not in second
    done = client.post(
        open_url(survey), {"page": "2", "progress": token, "price_detail": "20 €", "topics": []}
    )
    assert done.status_code == 302
    stored = Response.objects.get()
    assert stored.is_complete and stored.comment == "20 €"
    assert set(stored.answers.values_list("question__key", flat=True)) == {
        "nps", "reason", "price_detail"
    }  # fmt: skip


def test_honeypot_is_thanked_and_discarded(client: Client, survey: Survey) -> None:
    response = client.post(open_url(survey), {"page": "0", "nps": "10", "leave_blank": "spam"})
    assert response.status_code == 302 and "/thanks/" in response["Location"]
    assert client.get(response["Location"]).status_code == 200
    assert not Response.objects.exists()


def test_rate_limit_answers_429_in_spanish(client: Client, survey: Survey, settings: Any) -> None:
    settings.PULSO_PUBLIC_RATE_LIMIT = "2/m"
    for _ in range(2):
        assert client.post(open_url(survey), {"page": "0"}).status_code == 400
    blocked = client.post(open_url(survey), {"page": "0", "nps": "9"})
    assert blocked.status_code == 429 and "Demasiados intentos" in body(blocked)
    assert client.get(open_url(survey)).status_code == 200  # reading is not limited
    assert not Response.objects.exists()


def test_unit_link_records_the_org_unit(client: Client, org: Org) -> None:
    survey = make_survey("csat")
    url = reverse("public:unit", args=[survey.public_token, org.south_store.code])
    assert client.post(url, {"page": "0", "csat": "4"}).status_code == 302
    assert Response.objects.get().org_unit == org.south_store


def test_unit_outside_the_surveys_unit_and_unknown_unit_are_404(client: Client, org: Org) -> None:
    survey = make_survey("csat", org_unit=org.north)
    outside = reverse("public:unit", args=[survey.public_token, org.south_store.code])
    unknown = reverse("public:unit", args=[survey.public_token, "nope"])
    assert client.get(outside).status_code == 404
    assert client.get(unknown).status_code == 404
    assert "No encontramos esta encuesta" in body(client.get(unknown))


def test_bad_tokens_are_404(client: Client) -> None:
    assert client.get("/s/nothing-here/").status_code == 404
    assert client.post("/s/nothing-here/", {"nps": "1"}).status_code == 404
    assert client.get("/s/i/nothing-here/").status_code == 404


def test_closed_and_draft_surveys_accept_nothing(client: Client, survey: Survey) -> None:
    actions.do_close_survey(survey)
    assert client.get(open_url(survey)).status_code == 410
    assert client.post(open_url(survey), {"page": "0", "nps": "9"}).status_code == 410
    draft = make_survey(publish=False)
    assert client.get(open_url(draft)).status_code == 410
    assert not Response.objects.exists()


def test_personal_invitation_is_opened_answered_once_and_in_customer_language(
    client: Client, survey: Survey, org: Org
) -> None:
    customer = CustomerFactory(language="en")
    invitation = Invitation.objects.create(
        survey=survey, customer=customer, org_unit=org.north_store, channel=Channel.EMAIL,
        status=Invitation.Status.SENT,
    )  # fmt: skip
    url = reverse("public:invitation", args=[invitation.token])
    assert "How likely" in body(client.get(url))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.OPENED and invitation.opened_at is not None
    client.post(url, {"page": "0", "nps": "10"})
    done = client.post(url, {"page": "1", "promoter_comment": "Great staff"})
    assert done.status_code == 302
    response = Response.objects.get()
    assert response.customer == customer and response.org_unit == org.north_store
    assert response.channel == Channel.EMAIL and response.language == "en"
    again = client.get(url)
    assert again.status_code == 200 and "You have already answered this survey" in body(again)
    assert client.post(url, {"page": "0", "nps": "0"}).status_code == 200
    assert Response.objects.count() == 1 and Response.objects.get().nps == 10


def test_branding_colours_and_names_the_page(client: Client, survey: Survey) -> None:
    assert "Pulso" in body(client.get(open_url(survey)))  # settings' defaults
    Branding.objects.create(
        company_name="ElectroHogar", color="#7a1f5c", logo_url="/static/logo.svg"
    )
    html = body(client.get(open_url(survey)))
    assert "--brand: #7a1f5c" in html and 'alt="ElectroHogar"' in html
    assert 'src="/static/logo.svg"' in html
