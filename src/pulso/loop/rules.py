"""The rules engine: match feedback against active rules and apply each rule at most once.

Applying a rule to an item is one transaction that records a :class:`RuleApplication` (unique
per rule and item) together with everything the action changes, so processing the same feedback
twice — or after a worker was killed half-way — never opens a second case or sends a second
message, and never leaves a half-applied rule.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pulso.accounts.models import Membership, OrgUnit
from pulso.feedback.models import Feedback
from pulso.loop import actions, messages, notifications, priority, webhooks
from pulso.loop.conditions import Conditions, FeedbackFacts, matches
from pulso.loop.models import Case, Notification, Rule, RuleApplication
from pulso.loop.routing import Routing

logger = logging.getLogger(__name__)

BATCH = 200


def item_kind(record: Feedback) -> str:
    """The rule conditions' name of the record's kind: a survey response or other feedback."""
    return "response" if record.is_survey_response else "feedback_item"


def _analysis_facts(record: Feedback) -> tuple[str, set[str]]:
    try:
        analysis = record.analysis
    except models.ObjectDoesNotExist:
        return "", set()
    return analysis.sentiment, {topic.slug for topic in analysis.topics.all()}


# Feedback the rules may act on: everything but survey responses not yet complete.
COMPLETE = Q(response__isnull=True) | Q(response__is_complete=True)


def _survey_response(record: Feedback) -> Any:
    """The survey response kept beside a survey record (None for other feedback)."""
    if not record.is_survey_response:
        return None
    try:
        return record.response  # type: ignore[attr-defined]
    except models.ObjectDoesNotExist:
        return None


def facts_for(record: Feedback, unit_paths: dict[int, str]) -> FeedbackFacts:
    sentiment, topics = _analysis_facts(record)
    customer = record.customer
    touchpoint = record.touchpoint
    channels = {record.channel} | ({touchpoint.channel} if touchpoint else set())
    journey_id = record.journey_id or (touchpoint.stage.journey_id if touchpoint else None)
    facts = FeedbackFacts(
        kind=item_kind(record),
        text=record.text,
        language=(record.language or "es")[:2],
        sentiment=sentiment,
        topics=topics,
        touchpoint_id=record.touchpoint_id,
        journey_id=journey_id,
        channels={c for c in channels if c},
        unit_path=record.org_unit.path if record.org_unit else "",
        segment=getattr(_survey_response(record), "segment", "")
        or (customer.segment if customer else ""),
        customer_value=customer.value if customer else None,
        unit_paths=unit_paths,
    )
    facts.nps_group, facts.csat, facts.ces = record.nps_group, record.csat, record.ces
    return facts


def active_rules() -> list[Rule]:
    rules = Rule.objects.filter(is_active=True).select_related("webhook", "target_unit")
    return [rule for rule in rules if _runnable(rule)]


def _runnable(rule: Rule) -> bool:
    """Whether a stored rule can be applied: one row written past validation (an old version,
    a database edit) is logged and skipped, and never stops the other rules."""
    try:
        Conditions.model_validate(rule.conditions)
        Rule.Action(rule.action)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        logger.warning("Rule %s is not valid and is skipped: %s", rule.pk, error)
        return False
    return True


def _unit_paths() -> dict[int, str]:
    return dict(OrgUnit.objects.values_list("pk", "path"))


@dataclass
class RuleBatch:
    """What applying the rules to a batch of records reads once instead of per record: the
    units' paths, the case routing, and (``read`` true) the rule applications and cases the
    batch's records already had. Another worker applying a rule to the same record at the same
    moment is still caught by RuleApplication's unique constraint."""

    unit_paths: dict[int, str] = field(default_factory=_unit_paths)
    routing: Routing = field(default_factory=Routing)
    read: bool = False
    applied: set[tuple[int, int]] = field(default_factory=set)
    cases: dict[int, Case] = field(default_factory=dict)

    @classmethod
    def of(cls, feedback_ids: list[int]) -> RuleBatch:
        """A batch that has read what these records' rule applications and cases are."""
        applied = RuleApplication.objects.filter(feedback_id__in=feedback_ids)
        cases: dict[int, Case] = {}
        for case in Case.objects.filter(feedback_id__in=feedback_ids).order_by("-pk"):
            cases[case.feedback_id] = case  # type: ignore[index]  # the oldest one wins
        return cls(
            read=True,
            applied=set(applied.values_list("rule_id", "feedback_id")),
            cases=cases,
        )

    def already_applied(self, rule: Rule, item: Feedback) -> bool:
        if self.read:
            return (rule.pk, item.pk) in self.applied
        return RuleApplication.objects.filter(rule=rule, feedback=item).exists()

    def case_of(self, item: Feedback) -> Case | None:
        if self.read:
            return self.cases.get(item.pk)
        return Case.objects.filter(feedback=item).order_by("pk").first()


def apply_rules(
    item: Feedback,
    rules: Iterable[Rule] | None = None,
    now: datetime | None = None,
    batch: RuleBatch | None = None,
) -> int:
    """Apply every matching rule not yet applied to ``item``; returns how many were applied."""
    rules = active_rules() if rules is None else list(rules)
    batch = batch or RuleBatch()
    facts = facts_for(item, batch.unit_paths)
    applied = 0
    for rule in rules:
        if matches(rule.conditions, facts) and _apply_once(
            rule, item, now or timezone.now(), batch
        ):
            applied += 1
    return applied


def _apply_once(rule: Rule, item: Feedback, now: datetime, batch: RuleBatch) -> bool:
    if batch.already_applied(rule, item):
        return False
    try:
        with transaction.atomic():
            RuleApplication.objects.create(rule=rule, applied_at=now, feedback=item)
            ACTIONS[Rule.Action(rule.action)](rule, item, now, batch)
    except IntegrityError:
        return False  # another worker applied it at the same moment
    batch.applied.add((rule.pk, item.pk))
    return True


def case_unit(
    case_unit: str,
    item: Feedback,
    target: OrgUnit | None = None,
    routing: Routing | None = None,
) -> OrgUnit | None:
    """The unit a rule's case goes to: where the customer had the experience when someone
    there (or up its tree) handles cases, else the touchpoint's owner; or the rule's choice."""
    routing = routing or Routing()
    touchpoint = item.touchpoint
    owner_unit = touchpoint.owner_unit if touchpoint else None
    if case_unit == Rule.CaseUnit.FIXED and target:
        return target
    if case_unit == Rule.CaseUnit.EXPERIENCE:
        return routing.handling_unit(item.org_unit) or owner_unit or item.org_unit or routing.root()
    if case_unit == Rule.CaseUnit.TOUCHPOINT_OWNER and owner_unit:
        return owner_unit
    return item.org_unit or routing.root()


def case_title(item: Feedback) -> str:
    """ "NPS 2 at Caja: the comment…" in the site's language."""
    text = item.text.strip()
    where = str(item.touchpoint) if item.touchpoint else str(item.org_unit or "")
    with translation.override(settings.LANGUAGE_CODE):
        if item.nps is not None:
            label = _("NPS %(score)s at %(where)s") % {"score": item.nps, "where": where}
        else:
            label = _("Feedback at %(where)s") % {"where": where}
    return f"{label}: {text[:120]}" if text else label


def open_case(rule: Rule, item: Feedback, now: datetime, batch: RuleBatch | None = None) -> None:
    batch = batch or RuleBatch()
    existing = batch.case_of(item)
    if existing is not None:
        actions.raise_priority(existing, rule.case_priority, rule)
        return
    unit = case_unit(rule.case_unit, item, rule.target_unit, batch.routing)
    if unit is None:
        logger.warning("Rule %s: no org unit to open a case in", rule.pk)
        return
    assessment = priority.assess(item, rule.case_priority, now)
    batch.cases[item.pk] = actions.do_open_case(
        title=case_title(item),
        unit=unit,
        priority=assessment.priority,
        reasons=assessment.reasons,
        owner=batch.routing.default_owner(unit),
        now=now,
        customer=item.customer,
        touchpoint=item.touchpoint,
        rule=rule,
        feedback=item,
    )


def template_values(item: Feedback) -> dict[str, Any]:
    customer = item.customer
    when = item.received_at
    score = item.rating if item.nps is None else item.nps
    return {
        "nombre": (customer.name if customer else "") or "",
        "punto_de_contacto": str(item.touchpoint or ""),
        "recorrido": str(item.journey or ""),
        "unidad": str(item.org_unit or ""),
        "empresa": settings.PULSO_COMPANY_NAME,
        "puntuacion": "" if score is None else str(score),
        "fecha": timezone.localtime(when).strftime("%d/%m/%Y"),
    }


def message_to_customer(rule: Rule, item: Feedback, now: datetime, batch: RuleBatch) -> None:
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
        dedupe_key=f"{rule.action}:{rule.pk}:feedback:{item.pk}",
    )


def _people_to_notify(rule: Rule, item: Feedback) -> list[Any]:
    people = {user.pk: user for user in rule.notify_users.filter(is_active=True)}
    unit = rule.target_unit or item.org_unit
    if rule.notify_role and unit is not None:
        members = Membership.objects.filter(unit=unit, role=rule.notify_role, user__is_active=True)
        people.update({m.user.pk: m.user for m in members.select_related("user")})
    return list(people.values())


def notify(rule: Rule, item: Feedback, now: datetime, batch: RuleBatch) -> None:
    values = template_values(item)
    text = item.text
    subject = messages.render(rule.subject_es, values) or rule.name
    body = messages.render(rule.body_es, values) or text
    notifications.notify_users(
        Notification.Kind.RULE,
        _people_to_notify(rule, item),
        subject,
        body,
        dedupe_key=f"notify:{rule.pk}:feedback:{item.pk}",
    )


def _source_id(record: Feedback) -> int:
    """The id a client knows the feedback by: the survey response's, or the record's."""
    response = _survey_response(record)
    return int(response.pk) if response is not None else record.pk


def webhook_payload(rule: Rule, item: Feedback) -> dict[str, Any]:
    return {
        "rule": {"id": rule.pk, "name": rule.name},
        "item": {
            "type": item_kind(item),
            "id": _source_id(item),
            "feedback_id": item.pk,
            "nps": item.nps,
            "csat": item.csat,
            "rating": item.rating,
            "text": item.text,
            "touchpoint": str(item.touchpoint or ""),
            "org_unit": item.org_unit.code if item.org_unit else None,
            "customer": item.customer.external_id if item.customer else None,
            "date": item.received_at,
        },
    }


def call_webhook(rule: Rule, item: Feedback, now: datetime, batch: RuleBatch) -> None:
    if rule.webhook is None:
        return
    webhooks.queue_webhook(
        rule.webhook,
        "rule.matched",
        webhook_payload(rule, item),
        dedupe_key=f"webhook:{rule.pk}:feedback:{item.pk}",
    )


ACTIONS = {
    Rule.Action.OPEN_CASE: open_case,
    Rule.Action.NOTIFY: notify,
    Rule.Action.THANK_YOU: message_to_customer,
    Rule.Action.APOLOGY: message_to_customer,
    Rule.Action.WEBHOOK: call_webhook,
}


RELATED = ["customer", "org_unit", "journey", "touchpoint__stage", "touchpoint__owner_unit"]


def ready_for_rules(records: models.QuerySet[Feedback]) -> models.QuerySet[Feedback]:
    """Records rules may act on (survey responses once complete), with what the rules read."""
    return (
        records.filter(COMPLETE)
        .select_related("response", *RELATED)
        .prefetch_related("analysis__topics")
    )


def recent_items(since: datetime) -> Iterator[Feedback]:
    """Feedback that arrived since ``since`` (complete survey responses), with its data."""
    recent = ready_for_rules(Feedback.objects.filter(received_at__gte=since))
    yield from recent.order_by("pk").iterator(chunk_size=BATCH)


def process_feedback(feedback_ids: Iterable[int], now: datetime | None = None) -> int:
    """Apply the rules to these records; as safe to repeat as :func:`process_recent_feedback`."""
    rules = active_rules()
    if not rules:
        return 0
    ids = list(feedback_ids)
    batch = RuleBatch.of(ids)
    records = ready_for_rules(Feedback.objects.filter(pk__in=ids))
    return sum(apply_rules(record, rules, now, batch) for record in records.order_by("pk"))


def process_recent_feedback(since: datetime, now: datetime | None = None) -> int:
    """Apply the rules to everything that arrived since ``since``; safe to run any number of
    times and to interrupt (each rule application commits on its own)."""
    rules = active_rules()
    if not rules:
        return 0
    batch = RuleBatch()  # routing and unit paths shared; applications read per record
    return sum(apply_rules(item, rules, now, batch) for item in recent_items(since))
