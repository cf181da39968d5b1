"""Public links (surveys, invitations, open-tracking pixel, recovery survey) answer 404, never
500, whatever characters a link carries."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from pulso.surveys.models import Response
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/s/%00abc/", "/s/i/%00abc/", "/s/abc%00/u/tienda/", "/s/abc/u/x%00/", "/s/a%00/thanks/"],
)
def test_links_with_characters_no_token_holds_are_refused(client: Client, path: str) -> None:
    # 400 from the NUL check in front of every view (pulso.core.middleware), else 404
    assert client.get(path).status_code in (400, 404)
    assert client.post(path, {"page": "0", "nps": "9"}).status_code in (400, 404)
    assert client.get(path.replace("%00", "-")).status_code == 404


def test_a_comment_with_a_nul_byte_is_stored_without_it(client: Client) -> None:
    cache.clear()
    survey = make_survey("csat")
    answer = {"page": "0", "csat": "4", "comment": "Muy bien\x00 atendida"}
    assert client.post(f"/s/{survey.public_token}/", answer).status_code == 302
    stored = Response.objects.get(survey=survey)
    assert stored.comment == "Muy bien atendida"
