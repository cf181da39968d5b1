"""The rules engine: match feedback against active rules and apply each rule at most once.

Applying a rule to an item is one transaction that records a :class:`RuleApplication` (unique
per rule and item) together with everything the action changes, so processing the same feedback
twice — or after a worker was killed half-way — never opens a second case or sends a second
message, and never leaves a half-applied rule.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pulso.accounts.models import Membership, OrgUnit
from pulso.feedback.models import FeedbackItem
from pulso.loop import actions, messages, notifications, webhooks
from pulso.loop.conditions import FeedbackFacts, matches
from pulso.loop.models import Case, Notification, Rule, RuleApplication
from pulso.surveys.models import Response

logger = logging.getLogger(__name__)

Item = Response | FeedbackItem
BATCH = 200


def item_kind(item: Item) -> str:
    return "response" if isinstance(item, Response) else "feedback_item"


def _analysis_facts(item: Item) -> tuple[str, set[str]]:
    analysis = getattr(item, "analysis", None) if _has_analysis(item) else None
    if analysis is None:
        return "", set()
    return analysis.sentiment, {topic.slug for topic in analysis.topics.all()}


def _has_analysis(item: Item) -> bool:
    try:
        return item.analysis is not None  # type: ignore[union-attr]
    except models.ObjectDoesNotExist:
        return False


def _journey_id(item: Item) -> int | None:
    if isinstance(item, Response):
        return item.journey_id
    return item.touchpoint.stage.journey_id if item.touchpoint else None


def facts_for(item: Item, unit_paths: dict[int, str]) -> FeedbackFacts:
    sentiment, topics = _analysis_facts(item)
    customer = item.customer
    touchpoint = item.touchpoint
    channels = {item.channel} | ({touchpoint.channel} if touchpoint else set())
    facts = FeedbackFacts(
        kind=item_kind(item),
        text=item_text(item),
        language=(item.language or "es")[:2],
        sentiment=sentiment,
        topics=topics,
        touchpoint_id=item.touchpoint_id,
        journey_id=_journey_id(item),
        channels={c for c in channels if c},
        unit_path=item.org_unit.path if item.org_unit else "",
        segment=customer.segment if customer else "",
        customer_value=customer.value if customer else None,
        unit_paths=unit_paths,
    )
    if isinstance(item, Response):
        facts.nps_group, facts.csat, facts.ces = item.nps_group, item.csat, item.ces
        facts.segment = item.segment or facts.segment
    return facts


def item_text(item: Item) -> str:
    return item.comment if isinstance(item, Response) else item.text


def item_date(item: Item) -> datetime:
    return item.submitted_at if isinstance(item, Response) else item.received_at


def active_rules() -> list[Rule]:
    return list(Rule.objects.filter(is_active=True).select_related("webhook", "target_unit"))


def _unit_paths() -> dict[int, str]:
    return dict(OrgUnit.objects.values_list("pk", "path"))


def apply_rules(
    item: Item,
    rules: Iterable[Rule] | None = None,
    now: datetime | None = None,
    unit_paths: dict[int, str] | None = None,
) -> int:
    """Apply every matching rule not yet applied to ``item``; returns how many were applied."""
    rules = active_rules() if rules is None else list(rules)
    facts = facts_for(item, _unit_paths() if unit_paths is None else unit_paths)
    applied = 0
    for rule in rules:
        if matches(rule.conditions, facts) and _apply_once(rule, item, now or timezone.now()):
            applied += 1
    return applied


def _already_applied(rule: Rule, item: Item) -> bool:
    return RuleApplication.objects.filter(rule=rule, **{item_kind(item): item}).exists()


def _apply_once(rule: Rule, item: Item, now: datetime) -> bool:
    if _already_applied(rule, item):
        return False
    try:
        with transaction.atomic():
            RuleApplication.objects.create(rule=rule, applied_at=now, **{item_kind(item): item})
            ACTIONS[Rule.Action(rule.action)](rule, item, now)
    except IntegrityError:
        return False  # another worker applied it at the same moment
    return True


def _case_unit(rule: Rule, item: Item) -> OrgUnit | None:
    touchpoint = item.touchpoint
    if rule.case_unit == Rule.CaseUnit.FIXED and rule.target_unit:
        return rule.target_unit
    if rule.case_unit == Rule.CaseUnit.TOUCHPOINT_OWNER and touchpoint and touchpoint.owner_unit:
        return touchpoint.owner_unit
    return item.org_unit or OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()


def _case_title(item: Item) -> str:
    text = item_text(item).strip()
    where = str(item.touchpoint) if item.touchpoint else str(item.org_unit or "")
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(item, Response) and item.nps is not None:
            label = _("NPS %(score)s at %(where)s") % {"score": item.nps, "where": where}
        else:
            label = _("Feedback at %(where)s") % {"where": where}
    return f"{label}: {text[:120]}" if text else label


def open_case(rule: Rule, item: Item, now: datetime) -> None:
    existing = Case.objects.filter(**{item_kind(item): item}).first()
    if existing is not None:
        actions.raise_priority(existing, rule.case_priority, rule)
        return
    unit = _case_unit(rule, item)
    if unit is None:
        logger.warning("Rule %s: no org unit to open a case in", rule.pk)
        return
    actions.do_open_case(
        title=_case_title(item),
        unit=unit,
        priority=rule.case_priority,
        owner=actions.default_owner(unit),
        now=now,
        customer=item.customer,
        touchpoint=item.touchpoint,
        rule=rule,
        **{item_kind(item): item},
    )


def template_values(item: Item) -> dict[str, Any]:
    customer = item.customer
    when = item_date(item)
    score = item.nps if isinstance(item, Response) else item.rating
    return {
        "nombre": (customer.name if customer else "") or "",
        "punto_de_contacto": str(item.touchpoint or ""),
        "recorrido": str(item.journey) if isinstance(item, Response) else "",
        "unidad": str(item.org_unit or ""),
        "empresa": settings.PULSO_COMPANY_NAME,
        "puntuacion": "" if score is None else str(score),
        "fecha": timezone.localtime(when).strftime("%d/%m/%Y"),
    }


def message_to_customer(rule: Rule, item: Item, now: datetime) -> None:
    """Thank-you or apology, in the customer's language, only with their consent."""
    customer = item.customer
    if customer is None or not customer.email or not customer.consent_to_contact:
        return
    english = customer.language == "en" and rule.body_en
    subject = (rule.subject_en if english else rule.subject_es) or rule.get_action_display()
    body = rule.body_en if english else rule.body_es
    values = template_values(item)
    notifications.queue_email(
        rule.action,
        customer.email,
        messages.render(str(subject), values),
        messages.render(body, values),
        dedupe_key=f"{rule.action}:{rule.pk}:{item_kind(item)}:{item.pk}",
    )


def _people_to_notify(rule: Rule, item: Item) -> list[Any]:
    people = {user.pk: user for user in rule.notify_users.filter(is_active=True)}
    unit = rule.target_unit or item.org_unit
    if rule.notify_role and unit is not None:
        members = Membership.objects.filter(unit=unit, role=rule.notify_role, user__is_active=True)
        people.update({m.user.pk: m.user for m in members.select_related("user")})
    return list(people.values())


def notify(rule: Rule, item: Item, now: datetime) -> None:
    values = template_values(item)
    text = item_text(item)
    subject = messages.render(rule.subject_es, values) or rule.name
    body = messages.render(rule.body_es, values) or text
    notifications.notify_users(
        Notification.Kind.RULE,
        _people_to_notify(rule, item),
        subject,
        body,
        dedupe_key=f"notify:{rule.pk}:{item_kind(item)}:{item.pk}",
    )


def webhook_payload(rule: Rule, item: Item) -> dict[str, Any]:
    return {
        "rule": {"id": rule.pk, "name": rule.name},
        "item": {
            "type": item_kind(item),
            "id": item.pk,
            "nps": item.nps if isinstance(item, Response) else None,
            "csat": item.csat if isinstance(item, Response) else None,
            "rating": None if isinstance(item, Response) else item.rating,
            "text": item_text(item),
            "touchpoint": str(item.touchpoint or ""),
            "org_unit": item.org_unit.code if item.org_unit else None,
            "customer": item.customer.external_id if item.customer else None,
            "date": item_date(item),
        },
    }


def call_webhook(rule: Rule, item: Item, now: datetime) -> None:
    if rule.webhook is None:
        return
    webhooks.queue_webhook(
        rule.webhook,
        "rule.matched",
        webhook_payload(rule, item),
        dedupe_key=f"webhook:{rule.pk}:{item_kind(item)}:{item.pk}",
    )


ACTIONS = {
    Rule.Action.OPEN_CASE: open_case,
    Rule.Action.NOTIFY: notify,
    Rule.Action.THANK_YOU: message_to_customer,
    Rule.Action.APOLOGY: message_to_customer,
    Rule.Action.WEBHOOK: call_webhook,
}


def recent_items(since: datetime) -> Iterator[Item]:
    """Complete responses and feedback items that arrived since ``since``, with their data."""
    related = ["customer", "org_unit", "touchpoint__stage", "touchpoint__owner_unit"]
    prefetch = ["analysis__topics"]
    responses = Response.objects.filter(is_complete=True, submitted_at__gte=since)
    items = FeedbackItem.objects.filter(received_at__gte=since)
    for queryset in (responses.select_related("journey", *related), items.select_related(*related)):
        yield from queryset.prefetch_related(*prefetch).order_by("pk").iterator(chunk_size=BATCH)


def process_recent_feedback(since: datetime, now: datetime | None = None) -> int:
    """Apply the rules to everything that arrived since ``since``; safe to run any number of
    times and to interrupt (each rule application commits on its own)."""
    rules = active_rules()
    if not rules:
        return 0
    paths = _unit_paths()
    return sum(apply_rules(item, rules, now, paths) for item in recent_items(since))
