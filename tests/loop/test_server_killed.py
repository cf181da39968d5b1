"""``pulso serve`` and ``pulso worker`` killed with SIGKILL under a load of survey submissions,
then restarted: every submission answered with success is stored exactly once, every detractor
has exactly one case, and no task stays running.

Both run as real processes (gunicorn with two workers, and the task worker) against a database
of their own: a SQLite file, or a fresh PostgreSQL database when the suite runs on PostgreSQL.
Loopback clients post a one-page NPS survey, each answer with its own reference in the comment.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tests import processes
from tests.processes import free_port, kill, live_survey, pulso, start, wait_for_port

CLIENTS = 6
server_env = processes.server_env

REPORT = """
import json
from collections import Counter
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from pulso.core.models import PendingEvent
from pulso.feedback.models import Feedback
from pulso.surveys.models import Response
detractors = Feedback.objects.filter(source="survey", nps__lte=6).annotate(n=Count("cases"))
print("REPORT" + json.dumps({
    "comments": Counter(Response.objects.values_list("comment", flat=True)),
    "complete_detractors": Response.objects.filter(is_complete=True, nps__lte=6).count(),
    "cases_per_detractor": Counter(detractors.values_list("n", flat=True)),
    "statuses": Counter(DBTaskResult.objects.values_list("status", flat=True)),
    "pending_events": PendingEvent.objects.count(),
}))
"""


class Load:
    """Clients posting answers until stopped; which references were answered with success."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.answered: list[str] = []  # references answered 302 (to the thank-you page)
        self.failed = 0  # refused connections, resets, 5xx: the outcome is unknown
        self.stop = threading.Event()
        self.counter = iter(range(1_000_000))
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.client) for _ in range(CLIENTS)]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def client(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                n = next(self.counter)
            reference = f"ref-{n:06d}"
            body = urlencode({"page": "0", "nps": str(n % 11), "comment": reference})
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
                conn.request("POST", f"/s/{self.token}/", body, {
                    "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
                status = conn.getresponse().status
                conn.close()
            except (OSError, http.client.HTTPException):
                status = 0
            with self.lock:
                if status == 302:
                    self.answered.append(reference)
                else:
                    self.failed += 1
            if status != 302:
                time.sleep(0.05)

    def wait_for_answers(self, count: int, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        target = len(self.answered) + count
        while len(self.answered) < target:
            assert time.monotonic() < deadline, f"only {len(self.answered)} answers"
            time.sleep(0.05)


def report(env: dict[str, str]) -> dict[str, Any]:
    out = pulso(env, "shell", "-c", REPORT)
    return dict(json.loads(out.split("REPORT", 1)[1]))


def wait_until_the_queue_is_empty(env: dict[str, str], seconds: float = 40) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        state = report(env)
        if not {"READY", "RUNNING"} & set(state["statuses"]) and not state["pending_events"]:
            return state
        assert time.monotonic() < deadline, f"work left: {state}"
        time.sleep(0.5)


def test_server_and_worker_killed_under_load_lose_nothing_and_duplicate_nothing(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    server_env["PULSO_PUBLIC_RATE_LIMIT"] = "off"  # every client is 127.0.0.1
    pulso(server_env, "migrate", "-v0")
    token = live_survey(server_env)
    port, log = free_port(), tmp_path / "processes.log"
    serve = ["serve", "--port", str(port), "--workers", "2", "--threads", "4"]
    worker_args = ["worker", "--interval", "0.1"]
    server, worker = start(server_env, log, *serve), start(server_env, log, *worker_args)
    try:
        wait_for_port(port, server)
        with Load(port, token) as load:
            load.wait_for_answers(40)
            kill(server)
            kill(worker)
            before_restart = len(load.answered)
            at_kill = report(server_env)  # the work the worker left
            server, worker = start(server_env, log, *serve), start(server_env, log, *worker_args)
            wait_for_port(port, server)
            load.wait_for_answers(40)
        state = wait_until_the_queue_is_empty(server_env)
    finally:
        for process in (server, worker):
            if process.poll() is None:
                kill(process)

    assert before_restart >= 40 and len(load.answered) >= before_restart + 40
    left = at_kill["statuses"].get("READY", 0) + at_kill["statuses"].get("RUNNING", 0)
    assert left + at_kill["pending_events"] > 0, at_kill  # the worker was killed mid-work
    comments = state["comments"]
    assert [ref for ref in load.answered if comments.get(ref) != 1] == []  # each stored once
    assert [c for c, n in comments.items() if n > 1] == []  # and nothing stored twice
    # Every detractor recorded has exactly one case (none lost with the worker, none doubled).
    assert state["complete_detractors"] > 0
    assert state["cases_per_detractor"] == {"1": state["complete_detractors"]}
    assert "RUNNING" not in state["statuses"] and "READY" not in state["statuses"]
    assert set(state["statuses"]) == {"SUCCESSFUL"}, state["statuses"]
