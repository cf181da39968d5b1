"""Arrange a detractor's arrival in a worker's database, and report what it led to (JSON).

Run as ``python -m tests.worker_app.scenario arrange WEBHOOK_URL`` or ``... report``, with
``DJANGO_SETTINGS_MODULE=tests.worker_settings``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

import django


def arrange(webhook_url: str) -> None:
    from pulso.accounts.models import OrgUnit, Role
    from pulso.loop.models import Rule, Webhook
    from pulso.surveys.actions import do_record_response
    from tests.factories import (
        CustomerFactory,
        MembershipFactory,
        OrgUnitFactory,
        TouchpointFactory,
        UserFactory,
    )
    from tests.surveys.factories import make_survey

    company = OrgUnitFactory(name="Acme", code="acme", kind=OrgUnit.Kind.COMPANY)
    store = OrgUnitFactory(name="Tienda Bilbao", code="bilbao", parent=company)
    manager = UserFactory(username="manager")
    MembershipFactory(user=manager, unit=store, role=Role.UNIT_MANAGER)
    hook = Webhook.objects.create(name="CRM", url=webhook_url)
    conditions = {"nps_group": ["detractor"]}
    Rule.objects.create(name="Al CRM", action="webhook", webhook=hook, conditions=conditions)
    survey = make_survey("nps", touchpoint=TouchpointFactory(owner_unit=store))
    comment = "El pedido llegó roto y nadie me llamó"
    do_record_response(
        survey,
        {"nps": 2, "detractor_comment": comment},
        channel="link",
        customer=CustomerFactory(consent_to_contact=True),
    )


def report() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    from pulso.loop.models import Case, Notification, RuleApplication, WebhookDelivery
    from pulso.metrics.models import SearchDocument
    from pulso.textanalytics.models import TextAnalysis

    # The recorded event's task: its last subscriber is the one that waits.
    blocking = [
        t
        for t in DBTaskResult.objects.filter(task_path__endswith="run_subscribers")
        if t.args_kwargs["args"][0] == "feedback.recorded"
    ]
    return {
        "analyses": TextAnalysis.objects.count(),
        "search_documents": SearchDocument.objects.count(),
        "cases": Case.objects.count(),
        "rule_applications": RuleApplication.objects.count(),
        "notifications": Counter(
            f"{kind}:{to}" for kind, to in Notification.objects.values_list("kind", "to_email")
        ),
        "sent_notifications": Notification.objects.filter(status="sent").count(),
        "webhook_deliveries": list(WebhookDelivery.objects.values_list("status", flat=True)),
        "blocking": [(t.status, len(t.worker_ids)) for t in blocking],
        "statuses": Counter(DBTaskResult.objects.values_list("status", flat=True)),
    }


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "arrange":
        arrange(sys.argv[2])
    else:
        print(json.dumps(report()))
