"""The taxonomy keeps two levels and no cycles whatever path writes it (pages, API, admin), and
one bad row written past validation never stops text analysis."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.textanalytics import actions
from pulso.textanalytics.models import TextAnalysis, Topic, TopicMention
from pulso.textanalytics.taxonomy import active_taxonomy
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db
WITH_CHILDREN = "entrega"
OTHER_MAIN = "calidad-producto"
CHILD = "entrega-retraso"


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


def patch(client: Client, moved: str, parent: str) -> Any:
    url = f"/api/text/topics/{topic(moved).pk}"
    body = {"parent_id": topic(parent).pk}
    return client.patch(url, body, content_type="application/json")


@pytest.mark.parametrize(
    ("moved", "parent", "message"),
    [
        (WITH_CHILDREN, OTHER_MAIN, "Un tema con subtemas no puede ser a su vez un subtema"),
        (WITH_CHILDREN, WITH_CHILDREN, "no puede ser su propio tema superior"),
        (OTHER_MAIN, CHILD, "tiene que ser un tema principal"),
    ],
)
def test_api_refuses_a_move_that_breaks_the_tree_with_422(
    personas: Any, client: Client, moved: str, parent: str, message: str
) -> None:
    client.force_login(personas.analyst)
    before = dict(Topic.objects.values_list("slug", "parent_id"))
    response = patch(client, moved, parent)
    assert response.status_code == 422
    assert message in response.json()["errors"]["parent_id"]
    assert dict(Topic.objects.values_list("slug", "parent_id")) == before


def test_the_action_refuses_it_too() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        actions.do_save_topic(topic(WITH_CHILDREN), parent=topic(OTHER_MAIN))
    assert "parent" in error.value.message_dict
    assert topic(WITH_CHILDREN).parent_id is None


def test_topic_page_shows_the_error_beside_the_parent(personas: Any, client: Client) -> None:
    client.force_login(personas.analyst)
    moved = topic(WITH_CHILDREN)
    form = {"name_es": moved.name_es, "rule_es": moved.rule_es, "parent": topic(OTHER_MAIN).pk}
    response = client.post(f"/text/topics/{moved.pk}/edit/", form)
    assert response.status_code == 400
    assert "Un tema con subtemas no puede ser a su vez un subtema" in response.content.decode()
    assert topic(WITH_CHILDREN).parent_id is None


def test_admin_refuses_it_with_a_form_error(admin_client: Client) -> None:
    moved = topic(WITH_CHILDREN)
    form = {
        "slug": moved.slug, "name_es": moved.name_es, "name_en": moved.name_en,
        "rule_es": moved.rule_es, "rule_en": moved.rule_en, "origin": moved.origin,
        "is_active": "on", "parent": topic(OTHER_MAIN).pk,
    }  # fmt: skip
    response = admin_client.post(f"/admin/textanalytics/topic/{moved.pk}/change/", form)
    assert response.status_code == 200  # the form again, with its errors
    assert "Un tema con subtemas no puede ser a su vez un subtema" in response.content.decode()
    assert topic(WITH_CHILDREN).parent_id is None
    form["parent"] = ""
    form["rule_es"] = "(entrega OR"
    response = admin_client.post(f"/admin/textanalytics/topic/{moved.pk}/change/", form)
    assert "Error de sintaxis en el carácter 12" in response.content.decode()


def test_a_bad_row_written_past_validation_does_not_stop_analysis(
    org: Any, personas: Any, client: Client
) -> None:
    # a cycle and a third level, as an old version or a database edit could leave them
    Topic.objects.filter(slug=WITH_CHILDREN).update(parent=topic(CHILD))
    Topic.objects.filter(slug=OTHER_MAIN).update(parent=topic(CHILD))
    slugs = {t.slug for t in active_taxonomy().topics}
    assert WITH_CHILDREN not in slugs and CHILD not in slugs and "tienda-limpieza-orden" in slugs
    survey = factories.survey()
    factories.responses(survey, [("El local estaba muy sucio", 2)], org.north_store)
    actions.do_analyse_pending()
    assert TextAnalysis.objects.filter(analysed=True).count() == 1
    assert TopicMention.objects.filter(topic__slug="tienda-limpieza-orden").exists()
    for user in (personas.analyst, personas.viewer):
        client.force_login(user)
        for url in ("/text/", "/text/topics/", f"/text/topics/{topic(CHILD).pk}/"):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("analysis", ["abc", "", "-1", "1e3", "²", "9" * 30])
def test_marking_an_example_with_a_bad_id_is_a_404(
    personas: Any, client: Client, analysis: str
) -> None:
    client.force_login(personas.analyst)
    url = f"/text/topics/{topic(CHILD).pk}/examples/"
    assert client.post(url, {"analysis": analysis}).status_code == 404
