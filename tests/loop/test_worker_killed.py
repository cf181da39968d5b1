"""A ``pulso worker`` killed with SIGKILL in the middle of a task: after a restart the task
completes, and its effects (analysis, case, emails, webhook call) happen exactly once.

The worker runs as a real process against a database of its own: a SQLite file, or a fresh
PostgreSQL database when the suite runs on PostgreSQL. A test-only subscriber
(:mod:`tests.worker_app`) analyses and applies the rules like the real ones, then blocks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.loop.conftest import Receiver
from tests.processes import database_of_their_own

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment of the worker's processes; a database of their own, dropped afterwards."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "PYTHONPATH": str(ROOT),
        "PULSO_DATA_DIR": str(tmp_path / "data"),
        "PULSO_TASKS_BACKEND": "db",
        "PULSO_TEST_BLOCK_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    with database_of_their_own(env, "pulso_worker"):
        yield env


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def pulso(*args: str) -> list[str]:
    return [sys.executable, "-m", "pulso.cli", *args]


def scenario(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.worker_app.scenario", *args]


def wait_for(path: Path, worker: subprocess.Popen[bytes], seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert worker.poll() is None, "the worker stopped before the task started"
        assert time.monotonic() < deadline, "the worker never started the blocking task"
        time.sleep(0.05)


def test_a_killed_worker_s_task_completes_after_a_restart_with_effects_once(
    worker_env: dict[str, str], receiver: Receiver, tmp_path: Path
) -> None:
    run(pulso("migrate", "-v0"), worker_env)
    run(scenario("arrange", receiver.url), worker_env)
    with open(tmp_path / "worker.log", "wb") as log:
        worker = subprocess.Popen(
            pulso("worker", "--interval", "0.1"), env=worker_env, cwd=ROOT, stdout=log, stderr=log
        )
        try:
            wait_for(tmp_path / "started", worker)
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
    killed: dict[str, Any] = json.loads(run(scenario("report"), worker_env))
    assert killed["blocking"] == [["RUNNING", 1]]  # stuck, without recovery

    (tmp_path / "release").touch()
    run(pulso("worker", "--batch", "--interval", "0"), worker_env)

    after: dict[str, Any] = json.loads(run(scenario("report"), worker_env))
    assert after["blocking"] == [["SUCCESSFUL", 2]]  # retried by the restarted worker
    assert set(after["statuses"]) == {"SUCCESSFUL"}
    assert (after["analyses"], after["search_documents"], after["cases"]) == (1, 1, 1)
    assert after["rule_applications"] == 2  # the detractor's case and the webhook rule
    assert after["notifications"] == {"case_assigned:manager@example.com": 1}
    assert after["sent_notifications"] == 1
    assert after["webhook_deliveries"] == ["sent"]
    assert len(receiver.requests) == 1
