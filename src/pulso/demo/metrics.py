"""Demo step: build the dashboards' aggregates once the demo responses exist."""

from __future__ import annotations

import random
from typing import Any

from pulso.metrics.aggregates import rebuild_all


def build(rng: random.Random, progress: Any) -> None:
    tick = progress("Dashboards", 1)
    rebuild_all()
    tick(1)
