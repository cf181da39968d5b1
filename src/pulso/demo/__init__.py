"""The demo company: a Spanish home-appliance retail chain, generated deterministically.

One step module per domain, each with ``build(rng, progress)``; steps run in order.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from django.db import transaction

SEED = 20261124

# Each step's random generator is seeded with the path the step had before the demo became an
# app of its own, so the same seed still draws the same company.
STEPS: dict[str, str] = {
    "pulso.demo.org": "pulso.core.demo.org",
    "pulso.demo.journeys": "pulso.core.demo.journeys",
    "pulso.demo.surveys": "pulso.core.demo.surveys",
    "pulso.demo.responses": "pulso.core.demo.responses",
    "pulso.demo.invitations": "pulso.core.demo.invitations",
    "pulso.demo.feedback": "pulso.feedback.demo",
    "pulso.demo.textanalytics": "pulso.textanalytics.demo",
    "pulso.demo.initiatives": "pulso.demo.initiatives",
    "pulso.demo.pulses": "pulso.demo.pulses",
    "pulso.demo.loop": "pulso.loop.demo",
    "pulso.demo.audits": "pulso.demo.audits",
    "pulso.demo.metrics": "pulso.metrics.demo",
    "pulso.demo.design": "pulso.demo.design",
    "pulso.demo.economics": "pulso.demo.economics",
    "pulso.demo.inbox": "pulso.demo.inbox",
    "pulso.demo.benchmarks": "pulso.demo.benchmarks",
}


class Progress(Protocol):
    def __call__(self, label: str, total: int) -> Callable[[int], None]: ...


def in_the_past(when: datetime, now: datetime) -> datetime:
    """``when``, moved back a day at a time until it is not after ``now``: the demo's last day
    is today, and its answers never come from later today."""
    while when > now:
        when -= timedelta(days=1)
    return when


def is_loaded() -> bool:
    from pulso.accounts.models import OrgUnit

    return OrgUnit.objects.filter(code="electrohogar").exists()


def build_demo(progress: Progress, seed: int = SEED) -> None:
    """Run every demo step with its own seeded random generator."""
    for step_path, seed_name in STEPS.items():
        # Imported here: the steps import models, not loaded yet when Django imports this app.
        module = importlib.import_module(step_path)
        rng = random.Random(f"{seed}:{seed_name}")
        with transaction.atomic():
            module.build(rng, progress)
