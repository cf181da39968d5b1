"""Text from forms and files loses NUL and the other XML-illegal control characters at the
boundary, whatever page receives it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from pulso.core.forms import clean_submitted
from pulso.core.text import clean_text, strip_control_characters
from pulso.surveys.models import Response
from pulso.textanalytics.models import Topic
from tests.conftest import Personas
from tests.surveys.factories import make_survey


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Entrega\x00 tardía", "Entrega tardía"),
        ("uno\x0bdos\x0ctres\x1b\x07\x08", "unodostres"),
        ("línea\tcon\r\nsaltos\n", "línea\tcon\r\nsaltos\n"),  # kept: they are text
        ("bytes \udc81 rotos", "bytes \ufffd rotos"),
        ("fin \ufffe\uffff", "fin "),
        ("😀 ñ € ß", "😀 ñ € ß"),
    ],
)
def test_clean_text(given: str, expected: str) -> None:
    assert clean_text(given) == expected


def test_strip_control_characters_keeps_undecodable_bytes_for_the_importers() -> None:
    assert strip_control_characters("a\x00\udc81") == "a\udc81"


def test_submitted_data_is_cleaned_whatever_its_type() -> None:
    query = QueryDict(mutable=True)
    query.setlist("topics", ["precio\x00", "entrega\x0b"])
    query["text"] = "hola\x1b"
    cleaned = clean_submitted(query)
    assert isinstance(cleaned, QueryDict)
    assert cleaned.getlist("topics") == ["precio", "entrega"] and cleaned["text"] == "hola"
    assert clean_submitted({"n": 3, "t": "a\x00b", "l": ["c\x0b"]}) == {
        "n": 3, "t": "ab", "l": ["c"]
    }  # fmt: skip


@pytest.mark.django_db
def test_a_form_stores_pasted_text_without_control_characters(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.analyst)
    form = {"name_es": "Ruido\x00 de\x0b fondo\x1b", "rule_es": "zumbido\x00", "is_active": "on"}
    response = client.post("/text/topics/new/", form)
    assert response.status_code == 302, response.content.decode()
    topic = Topic.objects.get(slug="ruido-de-fondo")
    assert (topic.name_es, topic.rule_es) == ("Ruido de fondo", "zumbido")


@pytest.mark.django_db
def test_a_public_answer_is_stored_without_control_characters(client: Client) -> None:
    cache.clear()
    survey = make_survey(questions=[{"key": "comment", "kind": "text", "text_es": "¿Algo?"}])
    url = reverse("public:open", args=[survey.public_token])
    done = client.post(url, {"page": "0", "comment": "Muy\x0b bien\x00\x1b"})
    assert done.status_code == 302
    assert Response.objects.get().comment == "Muy bien"
