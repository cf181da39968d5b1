"""A subscriber that does what the real ones do, then waits to be released (or killed)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from pulso.loop.subscribers import apply_rules_to_recorded
from pulso.textanalytics.subscribers import analyse_recorded

WAIT_SECONDS = 60


def act_then_wait(payload: dict[str, Any]) -> dict[str, int]:
    """Analyse and apply the rules (committed), signal ``started``, wait for ``release``."""
    done = {"analysed": analyse_recorded(payload), "applied": apply_rules_to_recorded(payload)}
    folder = Path(os.environ["PULSO_TEST_BLOCK_DIR"])
    (folder / "started").touch()
    deadline = time.monotonic() + WAIT_SECONDS
    while not (folder / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return done
