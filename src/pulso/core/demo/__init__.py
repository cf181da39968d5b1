"""The demo company: a Spanish home-appliance retail chain, generated deterministically.

Each domain contributes one step module with ``build(rng, progress)``; steps run in order.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from typing import Protocol

from django.db import transaction

SEED = 20261124

STEPS = [
    "pulso.core.demo.org",
    "pulso.core.demo.journeys",
    "pulso.core.demo.surveys",
    "pulso.core.demo.responses",
    "pulso.core.demo.invitations",
    "pulso.feedback.demo",
    "pulso.textanalytics.demo",
    "pulso.loop.demo",
    "pulso.metrics.demo",
]


class Progress(Protocol):
    def __call__(self, label: str, total: int) -> Callable[[int], None]: ...


def is_loaded() -> bool:
    from pulso.accounts.models import OrgUnit

    return OrgUnit.objects.filter(code="electrohogar").exists()


def build_demo(progress: Progress, seed: int = SEED) -> None:
    """Run every demo step with its own seeded random generator."""
    for step_path in STEPS:
        try:
            module = importlib.import_module(step_path)
        except ModuleNotFoundError as exc:
            if exc.name != step_path:
                raise
            continue  # a domain without demo data of its own
        rng = random.Random(f"{seed}:{step_path}")
        with transaction.atomic():
            module.build(rng, progress)
