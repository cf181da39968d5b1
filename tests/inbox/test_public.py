"""The chat widget's public endpoints: conversations, tokens, CORS, rate limits, bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from pulso.inbox.models import Article, Conversation

SITE = "https://tienda.example.com"


@pytest.fixture(autouse=True)
def _limits(settings: Any, db: None) -> None:
    settings.PULSO_CHAT_ALLOWED_ORIGINS = [SITE]
    settings.PULSO_CHAT_POST_RATE = "100/m"
    settings.PULSO_CHAT_POLL_RATE = "100/m"
    cache.clear()


def _post(client: Client, url: str, body: Any, token: str = "", origin: str = SITE) -> Any:
    headers = {"Origin": origin, **({"X-Pulso-Chat-Token": token} if token else {})}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def _start(client: Client) -> dict[str, Any]:
    response = _post(client, "/chat/conversations/", {"language": "es"})
    assert response.status_code == 201
    return response.json()


def test_a_visitor_talks_with_the_assistant(client: Client, knowledge: list[Article]) -> None:
    started = _start(client)
    assert started["greeting"].startswith("¡Hola!")
    assert started["token"] and started["status"] == "assistant"
    url = f"/chat/conversations/{started['id']}/messages/"
    response = _post(client, url, {"text": "¿Cuándo llega mi pedido?"}, started["token"])
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == SITE
    sent = response.json()["messages"]
    assert [m["from"] for m in sent] == ["customer", "assistant"]
    assert sent[1]["text"].startswith("Los pedidos online llegan")
    polled = client.get(f"{url}?after={sent[0]['id']}", headers={"X-Pulso-Chat-Token":
                        started["token"], "Origin": SITE}).json()  # fmt: skip
    assert [m["id"] for m in polled["messages"]] == [sent[1]["id"]]


def test_a_conversation_needs_its_token(client: Client, knowledge: list[Article]) -> None:
    started = _start(client)
    url = f"/chat/conversations/{started['id']}/messages/"
    assert _post(client, url, {"text": "Hola"}, "not-the-token").status_code == 404
    assert client.get(url, headers={"Origin": SITE}).status_code == 404
    other = _start(client)
    assert _post(client, url, {"text": "Hola"}, other["token"]).status_code == 404


def test_other_sites_may_not_use_the_chat(client: Client) -> None:
    response = _post(client, "/chat/conversations/", {}, origin="https://evil.example.net")
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert not Conversation.objects.exists()


def test_preflight_of_an_allowed_site(client: Client) -> None:
    response = client.options(
        "/chat/conversations/1/messages/",
        headers={"Origin": SITE, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type,x-pulso-chat-token"},
    )  # fmt: skip
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == SITE
    assert "X-Pulso-Chat-Token" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_asking_for_a_person(client: Client, knowledge: list[Article]) -> None:
    started = _start(client)
    response = _post(client, f"/chat/conversations/{started['id']}/person/", {}, started["token"])
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "waiting"
    assert "persona" in body["messages"][-1]["text"]
    assert Conversation.objects.get().handoff_reason == "asked"


@pytest.mark.parametrize("body", [{"text": ""}, {"text": 12}, {"text": "x" * 2001}, {}, [1]])
def test_bad_messages_get_a_clear_422(client: Client, body: Any, knowledge: list[Article]) -> None:
    started = _start(client)
    url = f"/chat/conversations/{started['id']}/messages/"
    response = _post(client, url, body, started["token"])
    assert response.status_code == 422
    assert "errors" in response.json()


def test_broken_json_is_a_400(client: Client) -> None:
    response = client.post("/chat/conversations/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_bad_after_is_a_422(client: Client) -> None:
    started = _start(client)
    url = f"/chat/conversations/{started['id']}/messages/?after=abc"
    response = client.get(url, headers={"X-Pulso-Chat-Token": started["token"]})
    assert response.status_code == 422


def test_posts_are_rate_limited_per_address(client: Client, settings: Any) -> None:
    settings.PULSO_CHAT_POST_RATE = "3/m"
    statuses = [_post(client, "/chat/conversations/", {}).status_code for _ in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    assert Conversation.objects.count() == 3
