"""Helpers shared by the REST API endpoints: bounded pagination, problems, batch bodies,
clean JSON bodies, and the one error shape every operation answers and documents."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import PageNumberPagination
from ninja.parser import Parser

from pulso.core import access
from pulso.core.apidocs import reference_urls
from pulso.core.text import clean_text

# Ids beyond this overflow the databases' integer columns (a 500 otherwise).
MAX_ID = 2**62
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Batches of 10,000 items with long texts exceed Django's 2.5 MB default for request bodies,
# so batch endpoints read the body themselves with this (larger) limit.
MAX_BATCH_BODY = 64 * 1024 * 1024


class Pagination(PageNumberPagination):
    """Page-number pagination with bounded page numbers (huge offsets overflow SQLite)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=500)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("page_size", 50)
        kwargs.setdefault("max_page_size", 500)
        super().__init__(**kwargs)


class Problem(Schema):
    """The body of every error answer: what went wrong, and the message of each field at fault."""

    detail: str
    errors: dict[str, str] = Field(default_factory=dict)


def require(request: HttpRequest, action: str, obj_or_unit: access.Target = None) -> None:
    """403 unless the caller may do ``action`` (on the object or unit, else anywhere)."""
    if not access.can(request.user, action, obj_or_unit):
        label = access.ACTIONS[action].label
        raise HttpError(403, _("Your role does not allow this: %(action)s.") % {"action": label})


# What a batch endpoint answers when the body as a whole is unusable.
BATCH_ERRORS: dict[int, Any] = {400: Problem, 403: Problem, 413: Problem, 422: Problem}


def read_json_body(request: HttpRequest, max_bytes: int = MAX_BATCH_BODY) -> Any:
    """The decoded JSON body; 413 when too large, 400 when not UTF-8 JSON."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > max_bytes:
        raise HttpError(413, _("The request body is larger than %(mb)s MB.") % _mb(max_bytes))
    body = request.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise HttpError(413, _("The request body is larger than %(mb)s MB.") % _mb(max_bytes))
    try:
        return clean_json(json.loads(body.decode("utf-8")), body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise HttpError(
            400, _("The body is not valid UTF-8 JSON: %(error)s") % {"error": exc}
        ) from exc


def batch_items(payload: Any, max_items: int) -> list[Any]:
    """The list of items of a batch body (``{"items": [...]}`` or a bare list)."""
    items = payload.get("items") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        raise HttpError(422, _('The body must be an object with an "items" list.'))
    if len(items) > max_items:
        message = _("A batch holds at most %(max)s items; this one has %(count)s. Split it.")
        raise HttpError(413, message % {"max": max_items, "count": len(items)})
    return items


def batch_body(component: str, max_items: int) -> dict[str, Any]:
    """OpenAPI request body of a batch endpoint: ``{"items": [<component>, ...]}``.

    Batch endpoints parse their body themselves (one bad item must not reject the batch), so
    ninja cannot derive this from a signature.
    """
    items = {
        "type": "array",
        "maxItems": max_items,
        "items": {"$ref": f"#/components/schemas/{component}"},
    }
    schema = {"type": "object", "required": ["items"], "properties": {"items": items}}
    return {"content": {"application/json": {"schema": schema}}, "required": True}


def _mb(max_bytes: int) -> dict[str, int]:
    return {"mb": max_bytes // (1024 * 1024)}


# JSON text can only carry the characters core.text cleans (NUL and the other control
# characters XML forbids, lone surrogates) as \\u escapes (raw control characters make it
# invalid), so a body without such an escape needs no cleaning.
_NOT_TEXT_ESCAPE = re.compile(rb"\\u(00[01]|d[89a-f]|fff[ef])", re.IGNORECASE)


def clean_json(value: Any, raw: bytes | None = None) -> Any:
    """``value`` with every string (keys too) cleaned by :func:`pulso.core.text.clean_text`."""
    if raw is not None and not _NOT_TEXT_ESCAPE.search(raw):
        return value
    kind = type(value)
    if kind is str:
        return clean_text(value)
    if kind is dict:
        return {clean_json(key): clean_json(item) for key, item in value.items()}
    if kind is list:
        return [clean_json(item) for item in value]
    return value


class CleanJsonParser(Parser):
    """Request bodies decoded as JSON, their texts cleaned at the boundary."""

    def parse_body(self, request: HttpRequest) -> Any:
        body = request.body
        return clean_json(json.loads(body), body)


# Reasons of the error statuses the API documents.
ERROR_STATUSES = {
    400: "The request cannot be read (a body that is not JSON, a NUL byte in the address).",
    401: "No valid bearer token or session.",
    403: "The caller's role does not allow this.",
    404: "No such object, or not one the caller may see.",
    409: "The request conflicts with the current state of the object.",
    413: "The request body or batch is too large.",
    422: "A parameter or a field of the body is not valid; ``errors`` names each one.",
}


class PulsoApi(NinjaAPI):
    """A NinjaAPI whose errors all share the ``Problem`` shape, which its schema documents; its
    reference is served by Swagger UI (``docs``) and Redoc (``redoc``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("parser", CleanJsonParser())
        super().__init__(**kwargs)
        self.add_exception_handler(ValidationError, self._invalid)
        self.add_exception_handler(HttpError, self._http_error)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(RequestDataTooBig, self._too_big)

    def problem(
        self, request: HttpRequest, status: int, detail: str, errors: dict[str, str] | None = None
    ) -> HttpResponse:
        body = {"detail": detail, "errors": errors or {}}
        return self.create_response(request, body, status=status)

    def _invalid(self, request: HttpRequest, exc: ValidationError | Any) -> HttpResponse:
        errors = validation_errors(exc.errors)
        return self.problem(request, 422, _("The request is not valid."), errors)

    def _http_error(self, request: HttpRequest, exc: HttpError | Any) -> HttpResponse:
        return self.problem(request, exc.status_code, str(exc))

    def _not_found(self, request: HttpRequest, exc: Any) -> HttpResponse:
        return self.problem(request, 404, _("Not found."))

    def _too_big(self, request: HttpRequest, exc: Any) -> HttpResponse:
        return self.problem(request, 413, _("The request body is too large."))

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        """django-ninja's routes (schema, Swagger UI, operations) and Redoc (core.apidocs)."""
        return [*reference_urls(self), *super()._get_urls()]

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas["Problem"] = Problem.model_json_schema()
        for component in schemas.values():
            _require_text(component)
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                document_operation(path, operation)
        return schema


def validation_errors(errors: list[dict[str, Any]]) -> dict[str, str]:
    """{field: message} from ninja's validation errors, first message per top-level field
    (as batch rows report theirs); the message names the part of the field at fault."""
    found: dict[str, str] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if len(loc) > 2 and loc[0] == "body":
            loc = loc[2:]  # ["body", <argument>, field, ...]
        elif len(loc) > 1:
            loc = loc[1:]
        message = str(error.get("msg", ""))
        if len(loc) > 1:
            message = f"{'.'.join(loc[1:])}: {message}"
        found.setdefault(loc[0] if loc else "body", message)
    return found


def document_operation(path: str, operation: dict[str, Any]) -> None:
    """Document every error status ``operation`` can answer, all with the ``Problem`` shape;
    and declare query parameters as what a query string can carry (never null)."""
    parameters = operation.get("parameters", [])
    for parameter in parameters:
        parameter["schema"] = _without_null(parameter["schema"])
    statuses = {401, 403}
    if parameters or "requestBody" in operation:
        statuses |= {400, 422}
    if "{" in path or parameters or "requestBody" in operation:
        statuses.add(404)  # an id in the path, a filter or the body names no visible object
    if "requestBody" in operation:
        statuses.add(413)
    responses = operation["responses"]
    statuses |= {int(code) for code in responses if int(code) >= 400}
    problem = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for status in sorted(statuses):
        found = responses.setdefault(status, {"description": ERROR_STATUSES[status]})
        found["content"] = problem


# A required text must hold a character that cleaning keeps and stripping does not remove.
TEXT_PATTERN = "[^\\s\\x00-\\x1f\\ufffe\\uffff]"


def _require_text(schema: Any) -> None:
    """Document that a non-empty text cannot be made only of removed characters."""
    if isinstance(schema, list):
        for item in schema:
            _require_text(item)
    elif isinstance(schema, dict):
        if schema.get("type") == "string" and schema.get("minLength", 0) >= 1:
            if not {"pattern", "enum", "format", "const"} & set(schema):
                schema["pattern"] = TEXT_PATTERN
        for value in schema.values():
            _require_text(value)


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter's schema without its ``null`` alternative: absent means none."""
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    if len(options) != 1 or len(schema["anyOf"]) == 1:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**options[0], **rest}
