"""The OpenAPI schema at /api/openapi.json says what the API does: one error shape, every
status code, every query parameter."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from pulso.api import api
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture
def schema(client: Client) -> dict[str, Any]:
    return client.get("/api/openapi.json").json()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_error_answer_has_the_one_problem_shape(schema: dict[str, Any]) -> None:
    errors = 0
    for method, path, operation in _operations(schema):
        for status, answer in operation["responses"].items():
            if int(status) >= 400:
                assert answer["content"]["application/json"]["schema"] == PROBLEM, (
                    method,
                    path,
                    status,
                )
                errors += 1
    assert errors > 150
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"detail", "errors"}


def test_every_operation_documents_the_statuses_it_can_answer(schema: dict[str, Any]) -> None:
    for method, path, operation in _operations(schema):
        statuses = {int(status) for status in operation["responses"]}
        assert {401, 403} <= statuses, (method, path)
        if operation.get("parameters") or "requestBody" in operation:
            assert {400, 404, 422} <= statuses, (method, path)
        if "requestBody" in operation:
            assert 413 in statuses, (method, path)


def test_metrics_declare_their_filters(schema: dict[str, Any]) -> None:
    for path in ("/api/metrics/summary", "/api/metrics/touchpoints", "/api/metrics/league"):
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {"from", "to", "by", "journey", "unit", "channel", "survey"} <= names, path
    league = schema["paths"]["/api/metrics/league"]["get"]["parameters"]
    assert "kind" in {p["name"] for p in league}


def test_query_parameters_are_never_null(schema: dict[str, Any]) -> None:
    for method, path, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            options = parameter["schema"].get("anyOf", [])
            assert {"type": "null"} not in options, (method, path, parameter["name"])


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/api/customers/?page=x", None, 422),
        ("get", "/api/customers/999999", None, 404),
        ("get", "/api/journeys/nope", None, 404),
        ("post", "/api/text/topics", "{not json", 400),
        ("post", "/api/cases/rules", {"name": "x", "action": "fly"}, 422),
        ("get", "/api/metrics/summary?journey=nope", None, 404),
        ("get", "/api/metrics/summary?by=year", None, 422),
        # Ids past the integer columns are refused before they reach a query (was 500).
        ("get", "/api/customers/99999999999999999999", None, 422),
        ("get", "/api/invitations/?survey=99999999999999999999", None, 422),
        (
            "post",
            "/api/cases/rules",
            {"name": "x", "action": "open_case", "conditions": {"touchpoints": [10**30]}},
            422,
        ),
    ],
)
def test_errors_are_problems(
    personas: Personas, method: str, path: str, body: Any, status: int
) -> None:
    _token, raw = do_create_api_token(personas.admin, "schema")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = getattr(client, method)(path, body, content_type="application/json")
    assert response.status_code == status, response.content
    problem = response.json()
    assert isinstance(problem["detail"], str) and problem["detail"]
    assert isinstance(problem["errors"], dict)
    if status == 422:
        assert problem["errors"] and all(isinstance(m, str) for m in problem["errors"].values())


def test_without_a_token_the_answer_is_a_401_problem(client: Client) -> None:
    response = client.get("/api/customers/")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_no_two_types_share_a_component_name() -> None:
    """Components are keyed by class name: two different types of one name (two enums called
    Channel, two error schemas called Invalid) would silently document only one of them."""
    found: dict[str, Any] = {}
    clashes = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                answers = [m for m in operation.response_models.values() if m is not None]
                for model in [*operation.models, *answers]:
                    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                    for name, definition in schema.get("$defs", {}).items():
                        if found.setdefault(name, definition) != definition:
                            clashes.add(name)
    assert len(found) > 40
    assert not clashes
