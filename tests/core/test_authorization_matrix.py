"""The authorization matrix: every page route (from the URL resolver) and every API operation
(from the OpenAPI schema) × every role × an object inside and one outside the person's units,
checked against the role × action table written below (not read back from the policy); the
API's own pages (schema, Swagger UI, Redoc) are declared in API_PAGES.

A route or operation missing from ROUTES or OPERATIONS fails ``test_every_route_is_declared``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pulso.accounts.actions import do_create_api_token
from pulso.accounts.models import OrgUnit, Role
from pulso.alerts.models import Alert
from pulso.api import api
from pulso.benchmarks.models import ReferenceValue
from pulso.crisis.actions import do_open_incident
from pulso.customers.models import CustomerImport
from pulso.design.models import Archetype, Segmentation
from pulso.feedback.models import ImportRun
from pulso.inbox.actions import do_save_article, do_save_canned_answer
from pulso.inbox.models import Conversation, ExternalChannel
from pulso.initiatives.models import Initiative, Pilot
from pulso.loop.actions import do_open_case
from pulso.loop.models import Notification, Rule
from pulso.pulses.actions import do_create_pulse
from pulso.reputation.models import Brand, Feed, Mention
from pulso.textanalytics.models import EmergingTheme, TextAnalysis, TextJob, Topic
from tests.audits.factories import make_checklist, plan, recorded_photo
from tests.distribution.factories import InvitationFactory, make_live_survey, make_response
from tests.factories import (
    CustomerFactory,
    FeedbackFactory,
    MembershipFactory,
    OrgUnitFactory,
    TouchpointFactory,
    UserFactory,
)
from tests.surveys.factories import make_survey

# --- The expected policy ----------------------------------------------------------------------

EVERYONE = {"admin", "cx_analyst", "unit_manager", "agent", "viewer"}
WORKERS = {"admin", "cx_analyst", "unit_manager", "agent"}
EDITORS = {"admin", "cx_analyst"}
LOGIN = "login"  # any logged-in person, whatever their units

GRANTS: dict[str, set[str]] = {
    "accounts.view_orgunit": EVERYONE,
    "journeys.view_journey": EVERYONE,
    "journeys.change_journey": EDITORS,
    "customers.view_customer": EVERYONE,
    "customers.change_customer": EDITORS,
    "customers.view_customeraction": EVERYONE,
    "customers.add_customeraction": EDITORS,
    "economics.view_economics": EVERYONE,
    "surveys.view_survey": EVERYONE,
    "surveys.change_survey": EDITORS,
    "surveys.view_response": EVERYONE,
    "surveys.add_response": WORKERS,
    "surveys.import_responses": EDITORS,
    "surveys.view_invitation": EVERYONE,
    "surveys.send_invitation": EDITORS,
    "feedback.view_feedback": EVERYONE,
    "feedback.import_feedback": WORKERS,
    "metrics.view_counts": EVERYONE,
    "benchmarks.view_reference": EVERYONE,
    "benchmarks.change_reference": EDITORS,
    "textanalytics.view_textanalysis": EVERYONE,
    "textanalytics.view_topic": EVERYONE,
    "textanalytics.change_topic": EDITORS,
    "textanalytics.run_analysis": EDITORS,
    "loop.view_case": EVERYONE,
    "loop.work_case": WORKERS,
    "loop.change_rule": EDITORS,
    "core.read_audit_log": {"admin"},
    "design.view_archetype": EVERYONE,
    "design.change_archetype": EDITORS,
    "audits.view_visit": EVERYONE,
    "audits.record_visit": WORKERS,
    "audits.plan_visit": EDITORS,
    "inbox.view_conversation": EVERYONE,
    "inbox.work_conversation": WORKERS,
    "inbox.change_article": EDITORS,
    "initiatives.view_initiative": EVERYONE,
    "initiatives.change_initiative": EDITORS,
    "pulses.view_results": EVERYONE,
    "pulses.change_pulse": EDITORS,
    "reputation.view_mention": EVERYONE,
    "reputation.change_settings": EDITORS,
    "crisis.view_incident": EVERYONE,
    "crisis.manage_incident": EDITORS,
}
# Actions on company-wide objects (journeys, customers, topics, rules): the role must be held at
# the company root. Reading company-wide objects needs the role on any unit.
ROOT_ONLY = {
    "journeys.change_journey",
    "customers.change_customer",
    "textanalytics.change_topic",
    "textanalytics.run_analysis",
    "loop.change_rule",
    "core.read_audit_log",
    "design.view_archetype",  # archetypes sum up the customers of every unit
    "design.change_archetype",
    "economics.view_economics",
    "inbox.change_article",
    "benchmarks.change_reference",
    "reputation.change_settings",
    "crisis.manage_incident",  # company-wide CX roles run incidents; units see theirs
}


@dataclass(frozen=True)
class Persona:
    name: str
    role: str | None = None
    at_root: bool = False  # else the role is held on the north region
    logged_in: bool = True


PERSONAS = [
    Persona("anonymous", logged_in=False),
    Persona("outsider"),  # logged in, no unit
    Persona("admin@root", Role.ADMIN, at_root=True),
    Persona("cx_analyst@root", Role.CX_ANALYST, at_root=True),
    Persona("admin@north", Role.ADMIN),
    Persona("cx_analyst@north", Role.CX_ANALYST),
    Persona("unit_manager@north", Role.UNIT_MANAGER),
    Persona("agent@north", Role.AGENT),
    Persona("viewer@north", Role.VIEWER),
]


def allowed(persona: Persona, action: str, place: str | None) -> bool:
    """What the table above says for ``action`` on an object at ``place``: in the person's
    units, out of them (another region), company-wide, or one of theirs / someone else's."""
    if action == LOGIN:
        return persona.logged_in and place != "theirs"
    if persona.role is None or persona.role not in GRANTS[action]:
        return False
    if action in ROOT_ONLY:
        return persona.at_root
    if place == "out":
        return persona.at_root
    return place != "theirs"


# --- Routes and operations --------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    action: str
    obj: str | None = None  # key of World.objects giving the URL arguments per place
    method: str = "get"
    data: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] = field(default_factory=dict)
    refusals: tuple[int, ...] = (403, 404)


def post(action: str, obj: str | None = None, **data: Any) -> Route:
    return Route(action, obj, "post", data)


# Routes Django or the public pages guard themselves, or that anyone may open.
PUBLIC = {
    "core:healthz",
    "login",
    "logout",
    "oidc_authentication_init",  # single sign-on: not found unless configured, then the provider
    "oidc_authentication_callback",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "public:invitation",
    "public:open",
    "public:unit",
    "public:thanks",
    "customers:unsubscribe",  # the token in an email is the credential
    "distribution:invitation_pixel",
    "loop:recovery",
    "chat:start",  # the chat widget: a conversation's token is the credential
    "chat:messages",
    "chat:person",
    "chat:end",
    "chat:rating",
    "chat:rate",  # the satisfaction page: the conversation's token in the email is the credential
    "pulse_public:answer",  # the one-time token is the credential
    "pulse_public:thanks",
}

# The API's routes that are no operation (django-ninja serves them with partial views): its
# schema and the two reference pages that read it (Swagger UI, Redoc), open to anyone as the
# schema is; the root only answers 404 with the address of the docs. Status for every persona.
API_PAGES: dict[str, int] = {
    "api:openapi-json": 200,
    "api:openapi-view": 200,
    "api:redoc": 200,
    "api:api-root": 404,
}

ROUTES: dict[str, Route] = {
    "web:home": Route(LOGIN),
    "core:audit_log": Route("core.read_audit_log"),
    "web:record": Route("feedback.view_feedback", "record"),
    "web:record_open_case": post("loop.work_case", "record"),
    "two_factor": Route(LOGIN),
    "two_factor_verify": Route(LOGIN),
    "two_factor_disable": post(LOGIN),
    "api_tokens": Route(LOGIN),
    "alerts:list": Route(LOGIN),
    "recognitions:list": Route(LOGIN),
    "alerts:subscribe": post(LOGIN, kind="drop"),
    "reports:list": Route(LOGIN),
    "reports:subscribe": post(LOGIN, language="es"),
    "reports:preview": post(LOGIN),
    "api_token_revoke": post(LOGIN, "own_token"),
    "journeys:list": Route("journeys.view_journey"),
    "journeys:create": Route("journeys.change_journey"),
    "journeys:map": Route("journeys.view_journey", "journey"),
    "journeys:edit": Route("journeys.change_journey", "journey"),
    "journeys:stage_create": Route("journeys.change_journey", "journey"),
    "journeys:stage_edit": Route("journeys.change_journey", "stage"),
    "journeys:stage_move": post("journeys.change_journey", "stage", direction="up"),
    "journeys:stage_delete": Route("journeys.change_journey", "stage"),
    "journeys:stage_archive": post("journeys.change_journey", "stage"),
    "journeys:touchpoint_create": Route("journeys.change_journey", "stage"),
    "journeys:touchpoint_edit": Route("journeys.change_journey", "touchpoint"),
    "journeys:touchpoint_delete": post("journeys.change_journey", "touchpoint"),
    "customers:list": Route("customers.view_customer"),
    "customers:detail": Route("customers.view_customer", "customer"),
    "customers:import": Route("customers.change_customer"),
    "customers:import_review": Route("customers.change_customer", "customer_import"),
    "customers:action_import": Route("customers.add_customeraction"),
    "economics:overview": Route("economics.view_economics"),
    "distribution:invitations": Route("surveys.view_invitation", "survey_id"),
    "distribution:invite": Route("surveys.send_invitation", "survey_id"),
    "distribution:invitation_bounce": post("surveys.send_invitation", "invitation"),
    "surveys:list": Route("surveys.view_survey"),
    "surveys:create": Route("surveys.change_survey"),
    "surveys:detail": Route("surveys.view_survey", "survey"),
    "surveys:edit": Route("surveys.change_survey", "survey"),
    "surveys:start_draft": post("surveys.change_survey", "survey"),
    "surveys:publish": post("surveys.change_survey", "survey"),
    "surveys:close": post("surveys.change_survey", "survey"),
    "surveys:preview": Route("surveys.view_survey", "survey"),
    "surveys:question_add": Route("surveys.change_survey", "survey"),
    "surveys:qr_png": Route("surveys.view_survey", "survey"),
    "surveys:qr_svg": Route("surveys.view_survey", "survey"),
    "surveys:poster": Route("surveys.view_survey", "survey"),
    "surveys:question_row": Route("surveys.change_survey", "question"),
    "surveys:question_edit": Route("surveys.change_survey", "question"),
    "surveys:question_delete": post("surveys.change_survey", "question"),
    "surveys:question_move": post("surveys.change_survey", "question", direction="down"),
    "feedback:explorer": Route("feedback.view_feedback"),
    "feedback:import": Route("feedback.import_feedback"),
    "feedback:import_map": Route("feedback.import_feedback", "own_upload"),
    "feedback:import_report": Route("feedback.import_feedback", "own_import_run"),
    "feedback:import_rejects_csv": Route("feedback.import_feedback", "own_import_run"),
    "feedback:import_undo": post("feedback.import_feedback", "own_import_run"),
    "surveys:import_history": Route("surveys.import_responses"),
    "metrics:overview": Route("metrics.view_counts"),
    "metrics:journey": Route("metrics.view_counts", "journey"),
    "metrics:unit": Route("metrics.view_counts", "unit"),
    "metrics:touchpoint": Route("metrics.view_counts", "touchpoint"),
    "metrics:league": Route("metrics.view_counts"),
    "metrics:explorer": Route("metrics.view_counts"),
    "metrics:export_csv": Route("metrics.view_counts"),
    "metrics:export_xlsx": Route("metrics.view_counts"),
    "drivers:drivers": Route("metrics.view_counts"),
    "benchmarks:interactions": Route("metrics.view_counts"),
    "benchmarks:internal": Route("metrics.view_counts"),
    "benchmarks:references": Route("benchmarks.view_reference"),
    "benchmarks:reference_import": Route("benchmarks.change_reference"),
    "benchmarks:reference_delete": post("benchmarks.change_reference", "reference"),
    "textanalytics:index": Route("textanalytics.view_textanalysis"),
    "textanalytics:summary": Route("textanalytics.view_textanalysis"),
    "textanalytics:analyse_pending": post("textanalytics.run_analysis"),
    "textanalytics:topics": Route("textanalytics.view_topic"),
    "textanalytics:topic_create": Route("textanalytics.change_topic"),
    "textanalytics:rule_test": Route("textanalytics.change_topic"),
    "textanalytics:topic_detail": Route("textanalytics.view_topic", "topic"),
    "textanalytics:topic_edit": Route("textanalytics.change_topic", "topic"),
    "textanalytics:topic_delete": post("textanalytics.change_topic", "topic"),
    "textanalytics:topic_example": Route(
        "textanalytics.change_topic", "example", "post", lambda obj: {"analysis": obj["_analysis"]}
    ),
    "textanalytics:models": Route("textanalytics.view_textanalysis"),
    "textanalytics:retrain": post("textanalytics.run_analysis"),
    "textanalytics:themes": Route("textanalytics.view_textanalysis"),
    "textanalytics:find_themes": post("textanalytics.run_analysis"),
    "textanalytics:theme_detail": Route("textanalytics.view_textanalysis", "theme"),
    "textanalytics:theme_dismiss": post("textanalytics.run_analysis", "theme"),
    "textanalytics:job": Route("textanalytics.view_textanalysis", "job"),
    "loop:list": Route("loop.view_case"),
    "loop:bulk_assign": post("loop.work_case"),
    "loop:detail": Route("loop.view_case", "case"),
    "loop:status": post("loop.work_case", "case", status="in_progress"),
    "loop:note": post("loop.work_case", "case", text="Llamé al cliente."),
    "loop:contact": post("loop.work_case", "case", template="llamada"),
    "loop:details": post("loop.work_case", "case", priority="normal"),
    "loop:dashboard": Route("loop.view_case"),
    "loop:rules": Route("loop.change_rule"),
    "loop:rule_create": Route("loop.change_rule"),
    "loop:rule_edit": Route("loop.change_rule", "rule"),
    "loop:deliveries": Route("loop.change_rule"),
    "loop:resend": post("loop.change_rule", "delivery"),
    "design:archetypes": Route("design.view_archetype"),
    "design:archetype_find": post(
        "design.change_archetype", since="2026-01-01", until="2026-06-30"
    ),
    "design:archetype": Route("design.view_archetype", "archetype"),
    "design:archetype_edit": Route("design.change_archetype", "archetype"),
    "design:blueprint": Route("journeys.view_journey", "journey"),
    "design:blueprint_pdf": Route("journeys.view_journey", "journey"),
    "design:blueprint_svg": Route("journeys.view_journey", "journey"),
    "design:blueprint_edit": Route("journeys.change_journey", "touchpoint"),
    "audits:overview": Route("audits.view_visit"),
    "audits:visits": Route("audits.view_visit"),
    "audits:plan": Route("audits.plan_visit"),
    "audits:detail": Route("audits.view_visit", "visit"),
    "audits:record": Route("audits.record_visit", "visit"),
    "audits:draft": post("audits.record_visit", "visit", comment="Empiezo la visita"),
    "audits:photo": Route("audits.view_visit", "visit_photo"),
    "inbox:list": Route("inbox.view_conversation"),
    "inbox:detail": Route("inbox.view_conversation", "conversation"),
    "inbox:transcript": Route("inbox.view_conversation", "conversation"),
    "inbox:reply": post("inbox.work_conversation", "conversation", text="Hola"),
    "inbox:assign": post("inbox.work_conversation", "conversation"),
    "inbox:close": post("inbox.work_conversation", "conversation"),
    "inbox:fill_canned": Route("inbox.work_conversation", "conversation"),
    # Handed over to its own team, so that the world's conversations stay where they are.
    "inbox:hand_over": Route(
        "inbox.work_conversation",
        "conversation",
        "post",
        lambda a: {"unit": Conversation.objects.get(pk=a["pk"]).org_unit_id, "note": "Nota"},
    ),  # fmt: skip
    "inbox:canned": Route("inbox.change_article"),
    "inbox:canned_create": Route("inbox.change_article"),
    "inbox:canned_edit": Route("inbox.change_article", "canned"),
    "inbox:canned_delete": Route("inbox.change_article", "canned"),
    "inbox:articles": Route("inbox.change_article"),
    "inbox:article_create": Route("inbox.change_article"),
    "inbox:article_edit": Route("inbox.change_article", "article"),
    "reputation:overview": Route("reputation.view_mention"),
    "reputation:share": Route("reputation.view_mention"),
    "reputation:mention": Route("reputation.view_mention", "mention"),
    "reputation:mention_respond": post("inbox.work_conversation", "mention"),
    "reputation:mention_reply": post("inbox.work_conversation", "mention", text="Gracias"),
    "reputation:feeds": Route("reputation.change_settings"),
    "reputation:feed": Route("reputation.change_settings", "feed"),
    "reputation:feed_poll": post("reputation.change_settings", "feed"),
    "reputation:feed_delete": post("reputation.change_settings", "feed"),
    "reputation:brands": Route("reputation.change_settings"),
    "reputation:brand": Route("reputation.change_settings", "brand"),
    "reputation:brand_delete": post("reputation.change_settings", "brand"),
    "initiatives:list": Route("initiatives.view_initiative"),
    "initiatives:create": Route("initiatives.change_initiative"),
    "initiatives:detail": Route("initiatives.view_initiative", "initiative"),
    "initiatives:edit": Route("initiatives.change_initiative", "initiative"),
    "initiatives:pilot_create": Route("initiatives.change_initiative", "initiative"),
    "initiatives:pilot_detail": Route("initiatives.view_initiative", "pilot"),
    "initiatives:pilot_edit": Route("initiatives.change_initiative", "pilot"),
    "initiatives:employees": Route("pulses.view_results", "pulse"),
    "pulses:list": Route("pulses.view_results"),
    "pulses:create": Route("pulses.change_pulse"),
    "pulses:results": Route("pulses.view_results", "pulse"),
    "pulses:export_csv": Route("pulses.view_results", "pulse"),
    "pulses:invite": Route("pulses.change_pulse", "pulse"),
    "crisis:list": Route("crisis.view_incident"),
    "crisis:create": Route("crisis.manage_incident"),
    "crisis:from_alert": post("crisis.manage_incident", "alert"),
    "crisis:detail": Route("crisis.view_incident", "incident"),
    "crisis:status": post("crisis.manage_incident", "incident", status="investigating"),
    "crisis:note": post("crisis.manage_incident", "incident", text="Revisado."),
    "crisis:assign": post("crisis.manage_incident", "incident"),
    "crisis:message": post("crisis.manage_incident", "incident", template="aviso", channel="email"),
    "crisis:postmortem": post("crisis.manage_incident", "incident", postmortem="Qué pasó."),
}

OPERATIONS: dict[str, Route] = {
    "GET /api/journeys/": Route("journeys.view_journey"),
    "GET /api/journeys/{slug}": Route("journeys.view_journey", "journey"),
    "GET /api/customers/": Route("customers.view_customer"),
    "POST /api/customers/": post("customers.change_customer", external_id="matriz-1"),
    "GET /api/customers/{customer_id}": Route("customers.view_customer", "customer_id"),
    "PATCH /api/customers/{customer_id}": Route(
        "customers.change_customer", "customer_id", "patch", {"name": "Ana"}
    ),
    "GET /api/customer-actions/": Route("customers.view_customeraction"),
    "POST /api/customer-actions/": Route(
        "customers.add_customeraction",
        "unit",
        "post",
        lambda obj: {
            "external_id": f"matriz-{obj['code']}",
            "customer": "matriz-1",
            "kind": "purchase",
            "occurred_at": "2026-01-02T10:00:00Z",
            "org_unit": obj["code"],
        },
    ),
    "POST /api/customer-actions/batch": post("customers.add_customeraction", items=[]),
    "GET /api/economics/": Route("economics.view_economics"),
    "GET /api/invitations/": Route("surveys.view_invitation"),
    "POST /api/invitations/": Route(
        "surveys.send_invitation",
        "invite_survey",
        "post",
        lambda obj: {"survey_id": obj["survey_id"], "channel": "email", "segment": "vip"},
        refusals=(403, 404, 422),  # a survey the caller may not see is an unknown survey_id
    ),
    "GET /api/invitations/rates": Route("surveys.view_invitation"),
    "GET /api/invitations/{invitation_id}": Route("surveys.view_invitation", "invitation_id"),
    "POST /api/invitations/{invitation_id}/bounce": post(
        "surveys.send_invitation", "invitation_id", detail="550"
    ),
    "GET /api/surveys/": Route("surveys.view_survey"),
    "GET /api/surveys/{survey_id}": Route("surveys.view_survey", "survey_id"),
    "POST /api/responses/": Route(
        "surveys.add_response",
        "live_survey",
        "post",
        lambda obj: {"survey": obj["survey_id"], "answers": {"nps": 9}},
    ),
    "GET /api/responses/": Route("surveys.view_response"),
    "POST /api/responses/batch": post("surveys.add_response", items=[]),
    "GET /api/responses/{response_id}": Route("surveys.view_response", "response_id"),
    "POST /api/feedback/": Route(
        "feedback.import_feedback",
        "unit",
        "post",
        lambda obj: {"source": "review", "text": "Muy bien", "org_unit": obj["code"]},
    ),
    "GET /api/feedback/": Route("feedback.view_feedback"),
    "POST /api/feedback/batch": post("feedback.import_feedback", items=[]),
    "GET /api/feedback/{item_id}": Route("feedback.view_feedback", "item_id"),
    "GET /api/metrics/summary": Route("metrics.view_counts"),
    "GET /api/metrics/touchpoints": Route("metrics.view_counts"),
    "GET /api/metrics/league": Route("metrics.view_counts"),
    "GET /api/drivers": Route("metrics.view_counts"),
    "GET /api/benchmarks/references": Route("benchmarks.view_reference"),
    "POST /api/benchmarks/references/batch": post("benchmarks.change_reference", items=[]),
    "GET /api/text/topics": Route("textanalytics.view_topic"),
    "POST /api/text/topics": post("textanalytics.change_topic", name_es="Nuevo", rule_es="nuevo"),
    "PATCH /api/text/topics/{topic_id}": Route(
        "textanalytics.change_topic", "topic_id", "patch", {"name_en": "Matrix"}
    ),
    "GET /api/text/analyses": Route("textanalytics.view_textanalysis"),
    "POST /api/text/analyse": post("textanalytics.view_textanalysis", text="Todo genial"),
    "GET /api/text/themes": Route("textanalytics.view_topic"),
    "GET /api/text/models": Route("textanalytics.view_textanalysis"),
    "GET /api/cases/": Route("loop.view_case"),
    "GET /api/cases/rules": Route("loop.change_rule"),
    "POST /api/cases/rules": Route(
        "loop.change_rule", None, "post", {"name": "Matriz", "action": "notify"}
    ),
    "PUT /api/cases/rules/{rule_id}": Route(
        "loop.change_rule", "rule_id", "put", {"name": "Matriz", "action": "notify"}
    ),
    "GET /api/cases/{case_id}": Route("loop.view_case", "case_id"),
    "POST /api/cases/{case_id}/status": post("loop.work_case", "case_id", status="in_progress"),
    "POST /api/cases/{case_id}/notes": post("loop.work_case", "case_id", text="Llamé."),
    "GET /api/initiatives/": Route("initiatives.view_initiative"),
    "GET /api/initiatives/{initiative_id}": Route("initiatives.view_initiative", "initiative_id"),
    "GET /api/initiatives/pilots/{pilot_id}": Route("initiatives.view_initiative", "pilot_id"),
    "GET /api/initiatives/pulses/{pulse_id}/customers": Route("pulses.view_results", "pulse_id"),
    "GET /api/pulses/": Route("pulses.view_results"),
    "GET /api/pulses/{pulse_id}/results": Route("pulses.view_results", "pulse_id"),
    "GET /api/incidents/": Route("crisis.view_incident"),
    "POST /api/incidents/": Route(
        "crisis.manage_incident",
        "unit",
        "post",
        lambda obj: {"title": "Matriz", "org_unit": obj["code"]},
    ),
    "GET /api/incidents/{incident_id}": Route("crisis.view_incident", "incident_id"),
    "GET /api/incidents/{incident_id}/customers": Route("crisis.view_incident", "incident_id"),
    "POST /api/incidents/{incident_id}/status": post(
        "crisis.manage_incident", "incident_id", status="investigating"
    ),
    "POST /api/incidents/{incident_id}/notes": post(
        "crisis.manage_incident", "incident_id", text="Revisado."
    ),
    "GET /api/reputation/mentions": Route("reputation.view_mention"),
    "GET /api/reputation/mentions/{mention_id}": Route("reputation.view_mention", "mention_id"),
    "POST /api/reputation/mentions/batch": post("feedback.import_feedback", items=[]),
    "GET /api/reputation/index": Route("reputation.view_mention"),
    "GET /api/reputation/share": Route("reputation.view_mention"),
}


# Operations a signature over the body authorizes, not a person (no token, no session): every
# persona is refused without one, with this status.
SIGNED_OPERATIONS: dict[str, int] = {
    "POST /api/inbox/webhook/{channel}": 401,  # the messaging channel's HMAC-SHA256
}


# --- Discovery --------------------------------------------------------------------------------


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            prefix = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            if prefix.split(":")[0] in {"admin", "api"}:
                continue  # the admin site guards itself; the API is read from its schema
            yield from _walk(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"Unnamed route {pattern.pattern}: name it and declare it here"
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def discovered_routes() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def discovered_operations() -> set[str]:
    paths = api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops}


def discovered_api_pages() -> set[str]:
    (resolver,) = (p for p in get_resolver().url_patterns if getattr(p, "namespace", "") == "api")
    return {f"api:{p.name}" for p in resolver.url_patterns if isinstance(p.callback, partial)}


def test_every_route_is_declared() -> None:
    assert discovered_routes() - PUBLIC == set(ROUTES)
    assert discovered_api_pages() == set(API_PAGES)
    assert discovered_operations() - set(SIGNED_OPERATIONS) == set(OPERATIONS)
    assert {r.action for r in [*ROUTES.values(), *OPERATIONS.values()]} - {LOGIN} <= set(GRANTS)


# --- The world: an org, one person per persona, an object per place ---------------------------


@dataclass
class World:
    users: dict[str, AbstractBaseUser]
    clients: dict[str, Client]  # logged in once for the module
    # Per object kind: URL arguments per place ("in", "out" or "company"), or, for objects that
    # belong to a person, a function of the person and their client ("mine", "theirs").
    objects: dict[str, dict[str, dict[str, Any]] | Callable[..., dict[str, dict[str, Any]]]]


def _org() -> dict[str, OrgUnit]:
    company = OrgUnitFactory(code="matriz", kind=OrgUnit.Kind.COMPANY)
    north = OrgUnitFactory(code="matriz-norte", kind=OrgUnit.Kind.REGION, parent=company)
    south = OrgUnitFactory(code="matriz-sur", kind=OrgUnit.Kind.REGION, parent=company)
    return {
        "company": company,
        "north": north,
        "in": OrgUnitFactory(code="matriz-bilbao", parent=north),
        "out": OrgUnitFactory(code="matriz-sevilla", parent=south),
    }


def _users(units: dict[str, OrgUnit]) -> dict[str, AbstractBaseUser]:
    users = {}
    for persona in PERSONAS[1:]:
        user = UserFactory(username=f"matriz-{persona.name}")
        if persona.role:
            unit = units["company"] if persona.at_root else units["north"]
            MembershipFactory(user=user, unit=unit, role=persona.role)
        users[persona.name] = user
    return users


def _per_place(units: dict[str, OrgUnit]) -> dict[str, dict[str, dict[str, Any]]]:
    objects: dict[str, dict[str, dict[str, Any]]] = {}
    topic = Topic.objects.create(slug="matriz-ejemplos", name_es="Ejemplos", rule_es="ejemplo")
    checklist = make_checklist(name="Matriz")
    for place in ("in", "out"):
        unit = units[place]
        draft = make_survey(publish=False, org_unit=unit, name=f"Matriz {place}")
        live = make_live_survey(unit, name=f"Encuesta {place}")
        invitation = InvitationFactory(survey=live, status="sent")
        case = do_open_case(title=f"Caso {place}", unit=unit, priority="normal")
        item = FeedbackFactory(org_unit=unit)
        analysis = TextAnalysis.objects.create(feedback=item, language="es")
        visit, photo = plan(checklist, unit), recorded_photo(checklist, unit)
        initiative = Initiative.objects.create(
            title=f"Iniciativa {place}", problem="Colas", org_unit=unit
        )
        pilot = Pilot.objects.create(
            initiative=initiative, name=f"Piloto {place}", before_start=date(2026, 1, 1),
            before_end=date(2026, 1, 31), after_start=date(2026, 2, 1), after_end=date(2026, 2, 28),
        )  # fmt: skip
        pulse = do_create_pulse(f"Pulso {place}", unit, ["Me siento valorado."], None)
        alert = Alert.objects.create(
            kind="spike", unit=unit, day=date(2026, 1, 5), title=f"Alerta {place}",
            dedupe_key=f"matriz:{place}",
        )  # fmt: skip
        incident = do_open_incident(f"Incidencia {place}", unit, None)
        mention = Mention.objects.create(feedback=item, network="Google")
        ids = {
            "survey": {"pk": draft.pk},
            "survey_id": {"survey_id": draft.pk},
            "live_survey": {"survey_id": live.pk},
            "invite_survey": {"survey_id": live.pk},
            "question": {"pk": draft.versions.get().questions.first().pk},
            "invitation": {"pk": invitation.pk},
            "invitation_id": {"invitation_id": invitation.pk},
            "response_id": {"response_id": make_response(live, None).pk},
            "item_id": {"item_id": item.pk},
            "record": {"pk": item.pk},
            "case": {"pk": case.pk},
            "case_id": {"case_id": case.pk},
            "unit": {"code": unit.code},
            "example": {"pk": topic.pk, "_analysis": analysis.pk},
            "visit": {"pk": visit.pk},
            "visit_photo": {"pk": photo.pk},
            "conversation": {"pk": Conversation.objects.create(channel="chat", org_unit=unit).pk},
            "initiative": {"pk": initiative.pk},
            "initiative_id": {"initiative_id": initiative.pk},
            "pilot": {"pk": pilot.pk},
            "pilot_id": {"pilot_id": pilot.pk},
            "pulse": {"pk": pulse.pk},
            "pulse_id": {"pulse_id": pulse.pk},
            "mention": {"pk": mention.pk},
            "mention_id": {"mention_id": mention.pk},
            "alert": {"pk": alert.pk},
            "incident": {"pk": incident.pk},
            "incident_id": {"incident_id": incident.pk},
        }
        for kind, arguments in ids.items():
            objects.setdefault(kind, {})[place] = arguments
    return objects


def _company_wide(admin: AbstractBaseUser) -> dict[str, dict[str, dict[str, Any]]]:
    touchpoint = TouchpointFactory()
    customer = CustomerFactory(segment="vip")
    topic = Topic.objects.create(slug="matriz", name_es="Matriz", rule_es="matriz")
    rule = Rule.objects.create(name="Matriz", action=Rule.Action.NOTIFY)
    upload = CustomerImport.objects.create(
        file_name="clientes.csv", content=b"external_id\nc-1\n", created_by=admin
    )
    failed = Notification.objects.create(
        kind="rule", to_email="ana@example.com", subject="S", body="B", status="failed"
    )
    ids = {
        "journey": {"slug": touchpoint.stage.journey.slug},
        "stage": {"pk": touchpoint.stage.pk},
        "touchpoint": {"pk": touchpoint.pk},
        "customer": {"pk": customer.pk},
        "customer_id": {"customer_id": customer.pk},
        "customer_import": {"pk": upload.pk},
        "topic": {"pk": topic.pk},
        "topic_id": {"topic_id": topic.pk},
        "theme": {"pk": EmergingTheme.objects.create(kind="uncovered", label="Colas").pk},
        "job": {"pk": TextJob.objects.create(kind="analyse").pk},
        "rule": {"pk": rule.pk},
        "rule_id": {"rule_id": rule.pk},
        "delivery": {"kind": "email", "pk": failed.pk},
        "archetype": {"pk": _archetype().pk},
        "article": {"pk": do_save_article(slug="matriz", language="es", title="T", body="B").pk},
        "canned": {"pk": do_save_canned_answer(actor=None, title="T", text="B", language="es").pk},
        "reference": {"pk": _reference().pk},
        # A port nothing listens on: reading the feed fails at once, and is reported.
        "feed": {"pk": Feed.objects.create(url="http://127.0.0.1:9/feed", source_name="G").pk},
        "brand": {"pk": Brand.objects.create(name="Matriz Rival").pk},
    }
    return {kind: {"company": arguments} for kind, arguments in ids.items()}


def _reference() -> ReferenceValue:
    return ReferenceValue.objects.create(
        metric="nps", sector="Matriz", value=30, source="Estudio", published_on=date(2026, 1, 31)
    )


def _archetype() -> Archetype:
    search = Segmentation.objects.create(
        since="2026-01-01", until="2026-06-30", customers=40, silhouette=0.5
    )
    return Archetype.objects.create(segmentation=search, position=0, name="Matriz", size=40)


def _own_import_run(user: AbstractBaseUser | None, client: Client) -> dict[str, dict[str, Any]]:
    mine = ImportRun.objects.create(kind="feedback", file_name="mine.csv", created_by=user)
    other = ImportRun.objects.create(kind="feedback", file_name="other.csv")
    return {"mine": {"pk": mine.pk}, "theirs": {"pk": other.pk}}


def _own_token(user: AbstractBaseUser | None, client: Client) -> dict[str, dict[str, Any]]:
    mine, _raw = do_create_api_token(user or UserFactory(), "mine")
    theirs, _raw = do_create_api_token(UserFactory(), "theirs")
    return {"mine": {"pk": mine.pk}, "theirs": {"pk": theirs.pk}}


def _own_upload(user: AbstractBaseUser | None, client: Client) -> dict[str, dict[str, Any]]:
    token = uuid.uuid4().hex
    path = default_storage.save(f"feedback-imports/{token}", ContentFile(b"texto\nMuy bien\n"))
    session = client.session
    session["feedback_imports"] = {
        token: {"path": path, "name": "r.csv", "source": "review", "source_name": ""}
    }
    session.save()
    return {"mine": {"token": token}, "theirs": {"token": uuid.uuid4().hex}}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module, inside a transaction rolled back at its end (each test runs
    in a savepoint of it), like Django's ``setUpTestData``."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        units = _org()
        users = _users(units)
        objects: dict[str, Any] = {**_per_place(units), **_company_wide(users["admin@root"])}
        objects |= {
            "own_import_run": _own_import_run,
            "own_upload": _own_upload,
            "own_token": _own_token,
        }
        clients = {name: Client() for name in ["anonymous", *users]}
        for name, user in users.items():
            clients[name].force_login(user)
        yield World(users, clients, objects)
        transaction.set_rollback(True)


# --- The checks -------------------------------------------------------------------------------


def _places(route: Route, world: World, persona: Persona, client: Client) -> dict[str, Any]:
    if route.obj is None:
        return {None: {}}
    found = world.objects[route.obj]
    if callable(found):
        return found(world.users.get(persona.name), client)
    return found


def _request(client: Client, route: Route, url: str, arguments: dict[str, Any]) -> Any:
    """Pages get form data; API operations a JSON body (none for GET)."""
    data = route.data(arguments) if callable(route.data) else route.data
    if url.startswith("/api/"):
        body = data if route.method != "get" else None
        return getattr(client, route.method)(url, body, content_type="application/json")
    return getattr(client, route.method)(url, data)


def _verdict(status: int, persona: Persona, route: Route, ok: bool, api_call: bool) -> str:
    if not persona.logged_in:
        expected = {401} if api_call else {302}
        return "" if status in expected else f"anonymous got {status}"
    if not ok:
        return "" if status in route.refusals else f"should be refused, got {status}"
    if status >= 500 or status in (401, 403, 404, 405):
        return f"should be allowed, got {status}"
    if route.method == "get" and status not in (200, 302):
        return f"should be allowed, got {status}"
    return ""


def _check(key: str, url_for: Callable[[dict[str, Any]], str], route: Route, persona: Persona,
           world: World) -> None:  # fmt: skip
    client = world.clients[persona.name]
    problems = []
    for place, arguments in _places(route, world, persona, client).items():
        expected = allowed(persona, route.action, place)
        url = url_for({k: v for k, v in arguments.items() if not k.startswith("_")})
        status = _request(client, route, url, arguments).status_code
        problem = _verdict(status, persona, route, expected, url.startswith("/api/"))
        if problem:
            problems.append(f"{key} [{place}] {route.method.upper()} {url}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_page(name: str, persona: Persona, world: World, db: None) -> None:
    route = ROUTES[name]
    _check(name, lambda arguments: reverse(name, kwargs=arguments), route, persona, world)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
@pytest.mark.parametrize("name", sorted(API_PAGES))
def test_api_page(name: str, persona: Persona, world: World, db: None) -> None:
    assert world.clients[persona.name].get(reverse(name)).status_code == API_PAGES[name]


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
@pytest.mark.parametrize("key", sorted(SIGNED_OPERATIONS))
def test_signed_operation(key: str, persona: Persona, world: World, db: None) -> None:
    ExternalChannel.objects.get_or_create(slug="matriz", defaults={"name": "M", "secret": "s"})
    url = key.split(" ", 1)[1].format(channel="matriz")
    body = '{"from": "+34600000000", "text": "Hola"}'
    response = world.clients[persona.name].post(url, body, content_type="application/json")
    assert response.status_code == SIGNED_OPERATIONS[key]
    assert not Conversation.objects.filter(external_channel__slug="matriz").exists()


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
@pytest.mark.parametrize("key", sorted(OPERATIONS))
def test_operation(key: str, persona: Persona, world: World, db: None) -> None:
    route = OPERATIONS[key]
    path = key.split(" ", 1)[1]
    _check(key, lambda arguments: path.format(**arguments), route, persona, world)
