"""Erasing a customer: their cases, the messages and webhook calls about them lose personal
details (the cases and their outcomes stay, for the closed-loop figures)."""

from __future__ import annotations

from django.db.models import Q

from pulso.customers.erasure import ERASED, Erasure
from pulso.feedback.models import Feedback
from pulso.loop.models import Case, CaseEvent, Notification, RecoveryInvitation, WebhookDelivery


def erase_cases(erasure: Erasure) -> None:
    cases = Case.objects.filter(customer_id=erasure.customer_id)
    case_ids = list(cases.values_list("pk", flat=True))
    for case in cases.only("pk", "title", "resolution"):
        title, resolution = erasure.redact(case.title), erasure.redact(case.resolution)
        if (title, resolution) != (case.title, case.resolution):
            Case.objects.filter(pk=case.pk).update(title=title, resolution=resolution)
            erasure.count("loop.case", 1)
    for event in CaseEvent.objects.filter(case_id__in=case_ids).only("pk", "text", "data"):
        text = erasure.redact(event.text)
        data = erasure.redact_json(event.data, every_string=True)
        if (text, data) != (event.text, event.data):
            CaseEvent.objects.filter(pk=event.pk).update(text=text, data=data)
            erasure.count("loop.caseevent", 1)
    emails = [secret for secret in erasure.secrets if "@" in secret]
    to_them = Q(case_id__in=case_ids)
    for email in emails:
        to_them |= Q(to_email__iexact=email)
    messages = Notification.objects.filter(to_them)
    for message in messages.only("pk", "subject", "body", "to_email"):
        Notification.objects.filter(pk=message.pk).update(
            to_email=ERASED,
            subject=erasure.redact(message.subject),
            body=erasure.redact(message.body),
        )
        erasure.count("loop.notification", 1)
    # A webhook call about feedback is keyed "webhook:<rule>:feedback:<id>".
    feedback_ids = Feedback.objects.filter(customer_id=erasure.customer_id).values_list(
        "pk", flat=True
    )
    keys = [f":feedback:{pk}" for pk in feedback_ids]
    calls = [
        call
        for call in WebhookDelivery.objects.filter(dedupe_key__contains=":feedback:").only(
            "pk", "body", "dedupe_key"
        )
        if any((call.dedupe_key or "").endswith(key) for key in keys)
    ]
    for call in calls:
        WebhookDelivery.objects.filter(pk=call.pk).update(body=erasure.redact(call.body))
        erasure.count("loop.webhookdelivery", 1)
    recoveries = RecoveryInvitation.objects.filter(case_id__in=case_ids).exclude(comment="")
    for recovery in recoveries.only("pk", "comment"):
        RecoveryInvitation.objects.filter(pk=recovery.pk).update(
            comment=erasure.redact(recovery.comment)
        )
        erasure.count("loop.recoveryinvitation", 1)
