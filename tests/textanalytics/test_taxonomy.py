from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.textanalytics import actions
from pulso.textanalytics.engine.taxonomy_default import DEFAULT_TAXONOMY
from pulso.textanalytics.learn import characteristic_words
from pulso.textanalytics.models import TextJob, Topic, TopicMention
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db


def test_the_default_taxonomy_is_loaded_once_as_a_two_level_tree() -> None:
    assert Topic.objects.count() == len(DEFAULT_TAXONOMY)  # by post_migrate
    assert actions.do_load_default_taxonomy() == 0
    child = Topic.objects.get(slug="entrega-retraso")
    assert child.parent.slug == "entrega" and child.parent.parent is None
    assert child.rule_es and child.rule_en


def test_editing_the_taxonomy_reprocesses_history(
    org: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    survey = factories.survey()
    factories.responses(survey, [("El frigorífico hace un zumbido insoportable", 2)] * 3)
    factories.responses(survey, [("Todo perfecto", 10)])
    actions.do_analyse_pending()
    with django_capture_on_commit_callbacks(execute=True):
        topic = actions.do_save_topic(None, name_es="Ruido", rule_es="zumbido OR ruido*")
    assert topic.origin == Topic.Origin.ANALYST and topic.slug == "ruido"
    assert TopicMention.objects.filter(topic=topic).count() == 3
    job = TextJob.objects.get(kind=TextJob.Kind.REPROCESS_TOPICS)
    assert (job.status, job.done, job.total) == (TextJob.Status.DONE, 4, 4)

    with django_capture_on_commit_callbacks(execute=True):
        actions.do_save_topic(topic, rule_es="perfect*")
    assert list(TopicMention.objects.filter(topic=topic).values_list("sentiment", flat=True)) == [
        "positive"
    ]


def test_an_invalid_rule_is_refused() -> None:
    with pytest.raises(actions.InvalidRule) as error:
        actions.do_save_topic(None, name_es="Roto", rule_es="(entrega OR")
    assert error.value.language == "es" and error.value.position == 11
    assert not Topic.objects.filter(name_es="Roto").exists()


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_rule_test_shows_matches_and_counts(org: Any, personas: Any, client: Client) -> None:
    survey = factories.survey()
    factories.responses(survey, [("La lavadora llegó con un golpe enorme", 2)] * 2, org.north_store)
    factories.responses(survey, [("La tienda muy limpia", 9)], org.north_store)
    actions.do_analyse_pending()
    login(client, personas.analyst)
    response = client.post(
        "/text/topics/test/", {"rule_es": "golpe*", "language": "es"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 de los últimos 3 comentarios coinciden." in html
    assert html.count("<mark>La lavadora llegó con un golpe enorme</mark>") == 2
    assert "La tienda muy limpia" not in html


def test_rule_test_reports_syntax_errors_with_position(personas: Any, client: Client) -> None:
    login(client, personas.analyst)
    response = client.post(
        "/text/topics/test/",
        {"rule": "entrega NEAR/3 (tarde", "language": "es"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "La regla tiene un error de sintaxis." in html
    assert "En el carácter 16:" in html and "no se cierra" in html


def test_only_analysts_test_and_edit_rules(personas: Any, client: Client) -> None:
    login(client, personas.viewer)
    assert client.post("/text/topics/test/", {"rule": "a", "language": "es"}).status_code == 403
    assert client.get("/text/topics/new/").status_code == 403
    assert client.get("/text/topics/").status_code == 200


def test_topic_form_shows_rule_errors(personas: Any, client: Client) -> None:
    login(client, personas.analyst)
    response = client.post("/text/topics/new/", {"name_es": "Ruido", "rule_es": "NOT ruido"})
    assert response.status_code == 400
    assert "Error de sintaxis en el carácter 1" in response.content.decode()
    response = client.post("/text/topics/new/", {"name_es": "Ruido", "rule_es": "zumbido"})
    assert response.status_code == 302 and Topic.objects.filter(name_es="Ruido").exists()


def test_characteristic_words_of_examples() -> None:
    examples = [f"La app se cuelga al pagar con tarjeta {i}" for i in range(10)]
    background = ["La entrega llegó tarde", "El vendedor fue amable", "La tienda muy limpia"] * 20
    words = characteristic_words(examples, background, "es")
    assert {"app", "cuelga", "pagar", "tarjeta"} <= set(words)
    assert "tienda" not in words


def test_examples_suggest_a_rule(org: Any, personas: Any, client: Client) -> None:
    survey = factories.survey()
    rows = factories.responses(survey, [("La app se cuelga al pagar", 3)] * 10)
    factories.responses(survey, [("La entrega llegó tarde", 3), ("Muy amables", 10)] * 10)
    actions.do_analyse_pending()
    topic = Topic.objects.get(slug="web-app")
    login(client, personas.analyst)
    for row in rows:
        response = client.post(
            f"/text/topics/{topic.pk}/examples/", {"analysis": row.feedback.analysis.pk}
        )
        assert response.status_code == 302
    html = client.get(f"/text/topics/{topic.pk}/").content.decode()
    assert "10 ejemplos marcados." in html
    assert "Regla sugerida:" in html and "cuelga" in html
