"""The public survey validates each page before moving on, shows each error beside its
question, and keeps in a partial response only answers that passed validation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from pulso.surveys import actions
from pulso.surveys.models import Channel, Response, Survey
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db
REQUIRED = 'id="err-{key}">Esta pregunta es obligatoria.'
QUESTIONS: list[dict[str, Any]] = [
    {"key": "nps", "kind": "nps", "text_es": "¿Nos recomendarías?", "required": True},
    {
        "key": "why_low",
        "kind": "text",
        "text_es": "¿Qué deberíamos mejorar?",
        "show_if": {"question": "nps", "groups": ["detractor"]},
    },
    {"key": "csat", "kind": "csat", "text_es": "¿Satisfecho con la entrega?", "required": True},
    {"key": "comment", "kind": "text", "text_es": "¿Algo más?"},
]


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


@pytest.fixture
def survey() -> Survey:
    return make_survey(questions=QUESTIONS)


def url(survey: Survey) -> str:
    return reverse("public:open", args=[survey.public_token])


def progress_of(html: str) -> str:
    return html.split('name="progress" value="')[1].split('"')[0]


def stored_keys() -> set[str]:
    return set(Response.objects.get().answers.values_list("question__key", flat=True))


def test_next_without_the_required_score_stays_on_the_page(client: Client, survey: Survey) -> None:
    page = client.post(url(survey), {"page": "0", "next": "1"})
    html = page.content.decode()
    assert page.status_code == 400
    assert REQUIRED.format(key="nps") in html  # beside the question, which is still on screen
    assert 'name="nps"' in html and "¿Satisfecho con la entrega?" not in html
    assert not Response.objects.exists()


def test_a_page_with_an_error_stores_none_of_its_answers(client: Client, survey: Survey) -> None:
    first = client.post(url(survey), {"page": "0", "nps": "3"})
    assert first.status_code == 200 and stored_keys() == {"nps"}
    progress = progress_of(first.content.decode())
    second = {"page": "1", "progress": progress, "why_low": "Llegó tarde", "comment": "Nada"}
    refused = client.post(url(survey), second)
    html = refused.content.decode()
    assert refused.status_code == 400 and REQUIRED.format(key="csat") in html
    assert "Llegó tarde" in html  # what was typed is shown again, not lost
    assert stored_keys() == {"nps"}  # ... but not stored while the page is not valid
    out_of_range = client.post(url(survey), {**second, "csat": "9"})
    assert out_of_range.status_code == 400 and 'id="err-csat"' in out_of_range.content.decode()
    assert stored_keys() == {"nps"}
    done = client.post(url(survey), {**second, "csat": "2"})
    assert done.status_code == 302
    response = Response.objects.get()
    assert response.is_complete and (response.nps, response.csat) == (3, 2)
    assert stored_keys() == {"nps", "why_low", "csat", "comment"}


def test_an_error_about_an_earlier_page_is_shown_on_that_page(
    client: Client, survey: Survey
) -> None:
    # a partial response kept without its score (as older versions of the page allowed)
    partial = actions.do_save_partial_response(survey, {"csat": 4}, channel=Channel.LINK)
    progress = signing.dumps(partial.pk, salt="pulso.surveys.progress")
    page = client.post(url(survey), {"page": "1", "progress": progress, "csat": "4"})
    html = page.content.decode()
    assert page.status_code == 400
    assert REQUIRED.format(key="nps") in html and 'name="page" value="0"' in html
    assert not Response.objects.get().is_complete
