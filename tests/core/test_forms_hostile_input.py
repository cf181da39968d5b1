"""Every field of the configuration and import forms given hostile text: a page or a form
error, never a 500 (and never NUL or control characters stored)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from pulso.journeys.models import Journey
from pulso.loop.models import Rule
from pulso.surveys.models import Survey
from pulso.textanalytics.models import Topic
from tests.conftest import Personas
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db
VALUES = ["\x00", "Nota\x0b con\x1b controles\x07", "9" * 5000, "-1", "é" * 1001, "<b>x</b>", "[]"]
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
SKIPPED = {"csrfmiddlewaretoken", "file"}


def form_pages() -> list[str]:
    survey, draft = make_survey("nps"), make_survey("nps", name="Borrador", publish=False)
    topic = Topic.objects.get(slug="entrega")
    return [
        "/text/topics/new/",
        f"/text/topics/{topic.pk}/edit/",
        "/text/topics/test/",
        "/cases/rules/new/",
        "/journeys/new/",
        "/surveys/new/",
        f"/surveys/{draft.pk}/edit/",
        f"/surveys/{draft.pk}/questions/new/",
        "/surveys/import-history/",
        f"/customers/invitations/survey/{survey.pk}/invite/",
    ]


def test_hostile_text_in_every_field_is_never_a_500(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)
    seen = 0
    for url in form_pages():
        page = client.get(url)
        assert page.status_code == 200, url
        names = sorted(set(FIELD.findall(page.content.decode())) - SKIPPED)
        assert names, url
        for value in VALUES:
            response = client.post(url, {name: value for name in names})
            assert response.status_code < 500, (url, value)
            seen += 1
    assert seen == 10 * len(VALUES)
    stored = [
        *Topic.objects.values_list("name_es", flat=True),
        *Rule.objects.values_list("name", flat=True),
        *Journey.objects.values_list("name", flat=True),
        *Survey.objects.values_list("name", flat=True),
    ]
    assert not [text for text in stored if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)]
