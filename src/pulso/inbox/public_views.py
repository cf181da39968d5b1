"""The chat widget's public JSON endpoints (no login).

A conversation is reached with its id in the URL and its token in the ``X-Pulso-Chat-Token``
header; the widget never sends cookies, so a page elsewhere cannot act on a visitor's behalf
(no CSRF through ambient credentials) and reading a conversation needs its token. Cross-origin
calls are answered only for the origins in ``PULSO_CHAT_ALLOWED_ORIGINS`` (CORS, preflight
included); requests are rate-limited per IP.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt

from pulso.accounts.models import OrgUnit
from pulso.core.ratelimit import over_limit
from pulso.inbox import actions
from pulso.inbox.models import Conversation, Message

TOKEN_HEADER = "X-Pulso-Chat-Token"
MAX_TEXT = 2_000
View = Callable[..., HttpResponse]


def _origin_allowed(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin")
    if origin is None or origin == f"{request.scheme}://{request.get_host()}":
        return True
    return origin in getattr(settings, "PULSO_CHAT_ALLOWED_ORIGINS", [])


def _with_cors(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    origin = request.headers.get("Origin")
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = f"Content-Type, {TOKEN_HEADER}"
        response["Access-Control-Max-Age"] = "600"
        response["Vary"] = "Origin"
    return response


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": message, **extra}, status=status)


def chat_endpoint(view: View) -> View:
    """CORS for allowed origins, per-IP rate limits, no CSRF cookie (none is used)."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _origin_allowed(request):
            return _error(403, _("This site may not use the chat."))
        if request.method == "OPTIONS":
            return _with_cors(request, HttpResponse(status=204))
        scope = "chat_post" if request.method == "POST" else "chat_poll"
        rate = getattr(settings, f"PULSO_CHAT_{'POST' if scope == 'chat_post' else 'POLL'}_RATE")
        if over_limit(scope, str(request.META.get("REMOTE_ADDR") or "?"), rate):
            response = _error(429, _("Too many requests: wait a minute and try again."))
            response["Retry-After"] = "60"
            return _with_cors(request, response)
        return _with_cors(request, view(request, *args, **kwargs))

    return wrapper


def _json_body(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _conversation(request: HttpRequest, pk: int) -> Conversation | None:
    token = request.headers.get(TOKEN_HEADER, "")
    conversation = Conversation.objects.filter(pk=pk, channel=Conversation.Channel.CHAT).first()
    if conversation is None or not secrets.compare_digest(token, conversation.token):
        return None
    return conversation


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "from": message.sender,
        "text": message.text,
        "sent": message.created_at.isoformat(),
    }


def _state(conversation: Conversation, after: int = 0) -> dict[str, Any]:
    messages = conversation.messages.filter(pk__gt=after).order_by("pk")
    return {
        "id": conversation.pk,
        "status": conversation.status,
        "messages": [_message(m) for m in messages],
        # The widget asks for a 1-5 rating while this is true (closed, not rated yet).
        "rate": conversation.is_closed and conversation.csat_feedback_id is None,
    }


def _text(body: dict[str, Any]) -> str | None:
    text = body.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        return None
    return text.strip()


@chat_endpoint
def start(request: HttpRequest) -> HttpResponse:
    """POST: open a conversation; answers its id, token and the assistant's greeting."""
    if request.method != "POST":
        return _error(405, _("Use POST."))
    body = _json_body(request)
    if body is None:
        return _error(400, _("Send a JSON object."))
    language = "en" if body.get("language") == "en" else "es"
    unit = None
    if isinstance(body.get("unit"), str) and body["unit"]:
        unit = OrgUnit.objects.filter(code=body["unit"][:50]).first()
    conversation = actions.do_start_conversation(
        Conversation.Channel.CHAT, language=language, org_unit=unit
    )
    with override(language):
        greeting = _("Hello! I am the virtual assistant. How can I help you?")
    return JsonResponse(
        {**_state(conversation), "token": conversation.token, "greeting": greeting}, status=201
    )


@chat_endpoint
def messages(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the messages after ``?after=<id>``; POST ``{"text": …}``: the visitor writes."""
    conversation = _conversation(request, pk)
    if conversation is None:
        return _error(404, _("Unknown conversation."))
    if request.method == "POST":
        body = _json_body(request)
        text = _text(body) if body is not None else None
        if text is None:
            return _error(
                422, _("Write a message of at most 2000 characters."), errors={"text": "invalid"}
            )
        added = actions.do_receive_message(conversation, text)
        conversation.refresh_from_db()
        return JsonResponse(
            {**_state(conversation, after=added[0].pk - 1), "status": conversation.status},
            status=201,
        )
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        return _error(422, _("after must be a message id."), errors={"after": "invalid"})
    return JsonResponse(_state(conversation, after))


@chat_endpoint
def ask_for_person(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: the visitor asks for a person."""
    conversation = _conversation(request, pk)
    if conversation is None:
        return _error(404, _("Unknown conversation."))
    if request.method != "POST":
        return _error(405, _("Use POST."))
    actions.do_request_person(conversation)
    conversation.refresh_from_db()
    return JsonResponse(_state(conversation))


@chat_endpoint
def end(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: the visitor ends the chat (the widget then asks for a rating)."""
    conversation = _conversation(request, pk)
    if conversation is None:
        return _error(404, _("Unknown conversation."))
    if request.method != "POST":
        return _error(405, _("Use POST."))
    actions.do_close(conversation, actor=None)
    conversation.refresh_from_db()
    return JsonResponse(_state(conversation, after=2**62))


def _score(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        score = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return score if 1 <= score <= 5 else None


@chat_endpoint
def rating(request: HttpRequest, pk: int) -> HttpResponse:
    """POST ``{"score": 1-5}`` once the conversation is closed: the visitor's satisfaction."""
    conversation = _conversation(request, pk)
    if conversation is None:
        return _error(404, _("Unknown conversation."))
    if request.method != "POST":
        return _error(405, _("Use POST."))
    body = _json_body(request)
    score = _score(body.get("score")) if body is not None else None
    if score is None:
        return _error(422, _("Give a score from 1 to 5."), errors={"score": "invalid"})
    if not conversation.is_closed:
        return _error(409, _("The conversation is still open."))
    try:
        actions.do_record_satisfaction(conversation, score)
    except actions.AlreadyRated:
        return _error(409, _("This conversation has already been rated."))
    conversation.refresh_from_db()
    return JsonResponse(_state(conversation, after=2**62), status=201)


def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The small page the email's link opens: five buttons, one answer (rate-limited per IP)."""
    conversation = Conversation.objects.filter(token=token[:64]).first()
    if conversation is None or not conversation.csat_asked_at:
        raise Http404
    context: dict[str, Any] = {"scores": range(1, 6), "done": conversation.csat_feedback_id}
    status = 200
    with override(conversation.language):
        if request.method == "POST" and not context["done"]:
            if over_limit("chat_post", str(request.META.get("REMOTE_ADDR") or "?"),
                          settings.PULSO_CHAT_POST_RATE):  # fmt: skip
                context["error"], status = _("Too many requests: wait a minute and try again."), 429
            elif (score := _score(request.POST.get("score"))) is None:
                context["error"], status = _("Choose a score from 1 to 5."), 422
            else:
                try:
                    actions.do_record_satisfaction(conversation, score)
                except actions.AlreadyRated:
                    pass
                context["done"] = True
        return render(request, "inbox/rate.html", context, status=status)
