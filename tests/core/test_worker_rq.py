"""`pulso worker` runs queued tasks from Redis when PULSO_TASKS_BACKEND=rq."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


def pulso(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pulso.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_worker_runs_a_task_enqueued_on_redis(tmp_path: Path) -> None:
    if not redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379; CI starts it.")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    env = {
        **os.environ,
        "PULSO_DATA_DIR": str(tmp_path),
        "PULSO_TASKS_BACKEND": "rq",
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/15",
    }
    env.pop("DATABASE_URL", None)
    assert pulso(["migrate", "-v0"], env).returncode == 0
    enqueue = (
        "from pulso.metrics.tasks import refresh_metrics; "
        "print('task', refresh_metrics.enqueue().id)"
    )
    queued = pulso(["shell", "-c", enqueue], env)
    task_id = queued.stdout.split("task", 1)[1].split()[0]
    worked = pulso(["worker", "--batch"], env)
    output = worked.stdout + worked.stderr
    assert worked.returncode == 0, output
    assert f"Job OK ({task_id})" in output
