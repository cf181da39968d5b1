"""Past one machine: two ``pulso serve`` processes and two ``pulso worker`` processes on the RQ
backend, against one PostgreSQL and one Redis, as two nodes behind a load balancer would run.

Clients post survey answers and API batches to both web processes; then one web process and one
worker (caught in the middle of a job) are killed with SIGKILL, and the load goes on against the
survivors. Every answer acknowledged is stored exactly once, every batch item once (a batch whose
outcome is unknown is sent again to the other node, as a client behind a load balancer does),
every comment has its analysis, every detractor exactly one case, the killed worker's job ran
again to success, and nothing is left in the queues. Speed is measured in ``bench/scale.py``.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import psycopg
import pytest
from django.db import connection
from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry, StartedJobRegistry

from tests.processes import free_port, kill, postgres_database, pulso, start, wait_for_port

SURVEY_CLIENTS = 4
BATCH_SIZE = 40

SETUP = """
import json
from django.contrib.auth import get_user_model
from pulso.accounts.actions import do_create_api_token
from pulso.accounts.models import OrgUnit
from pulso.journeys.models import Journey, Stage, Touchpoint
from pulso.surveys.actions import do_create_survey, do_publish_survey
company = OrgUnit.objects.create(name="Acme", code="acme", kind="company")
store = OrgUnit.objects.create(name="Tienda", code="tienda", kind="store", parent=company)
journey = Journey.objects.create(name="Compra", slug="compra")
stage = Stage.objects.create(journey=journey, name="Pago")
touchpoint = Touchpoint.objects.create(stage=stage, name="Caja", channel="store", owner_unit=store)
questions = [
    {"key": "nps", "kind": "nps", "text_es": "¿Nos recomendarías?", "required": True},
    {"key": "comment", "kind": "text", "text_es": "¿Por qué?", "required": False},
]
survey = do_create_survey("Caja", touchpoint, org_unit=store, template="blank", questions=questions)
do_publish_survey(survey)
survey.refresh_from_db()
user = get_user_model().objects.create_superuser("api", "api@example.com", "api-pass-1234")
_token, raw = do_create_api_token(user, "nodes")
print("SETUP" + json.dumps({"survey": survey.public_token, "api": raw, "tp": touchpoint.pk}))
"""

REPORT = """
import json
from collections import Counter
from django.db.models import Count
from pulso.core.models import PendingEvent
from pulso.feedback.models import Feedback
from pulso.surveys.models import Response
texts = Feedback.objects.complete().exclude(text="")
detractors = Feedback.objects.filter(source="survey", nps__lte=6).annotate(n=Count("cases"))
print("REPORT" + json.dumps({
    "comments": Counter(Response.objects.values_list("comment", flat=True)),
    "external_ids": Counter(Feedback.objects.filter(source="review")
                            .values_list("external_id", flat=True)),
    "texts": texts.count(),
    "unanalysed": texts.filter(analysis__isnull=True).count(),
    "complete_detractors": Response.objects.filter(is_complete=True, nps__lte=6).count(),
    "cases_per_detractor": Counter(detractors.values_list("n", flat=True)),
    "pending_events": PendingEvent.objects.count(),
}))
"""


def _address(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _postgres_server() -> str:
    """The PostgreSQL the suite runs on, else the one CI starts on 127.0.0.1:5432."""
    if connection.vendor == "postgresql":
        return os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def _claim_redis_database(host: str, port: int) -> int:
    """An empty Redis database (1–14) that no other test run holds, marked as taken."""
    for number in random.sample(range(1, 15), 14):
        redis = Redis(host=host, port=port, db=number)
        if redis.dbsize() == 0 and redis.set("pulso-test:taken", "1", nx=True, ex=3600):
            return number
    pytest.skip("no free Redis database")


@pytest.fixture
def cluster_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment the four processes share: a new PostgreSQL database and a Redis
    database of their own, the RQ task backend."""
    server = _postgres_server()
    redis_host, redis_port = _address(os.environ.get("REDIS_URL", ""), 6379)
    services = [_address(server, 5432), (redis_host, redis_port)]
    if not all(_reachable(*service) for service in services):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL and Redis must run on 127.0.0.1; CI starts them.")
        pytest.skip("PostgreSQL or Redis is not running")
    number = _claim_redis_database(redis_host, redis_port)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pulso.settings",
        "PULSO_DATA_DIR": str(tmp_path / "data"),  # the secret key both web processes read
        "PULSO_TASKS_BACKEND": "rq",
        "REDIS_URL": f"redis://{redis_host}:{redis_port}/{number}",
        "PULSO_CACHE": "redis",
        "PULSO_PUBLIC_RATE_LIMIT": "off",  # every client is 127.0.0.1
        "LOG_LEVEL": "ERROR",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for name in ["ALLOWED_HOSTS", "SECRET_KEY", "PULSO_BASE_URL"]:
        env.pop(name, None)
    try:
        with postgres_database(env, "pulso_nodes", server):
            yield env
    finally:
        Redis(host=redis_host, port=redis_port, db=number).flushdb()


class Load:
    """Survey clients and API clients spread over the live web processes until stopped."""

    def __init__(self, ports: list[int], setup: dict[str, Any]) -> None:
        self.ports, self.setup = list(ports), setup
        self.answered: list[str] = []  # comments answered 302 (to the thank-you page)
        self.accepted: list[str] = []  # external ids of batches answered 200
        self.unknown = 0  # refused, reset or 5xx: the outcome is not known
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers, self.batches = itertools.count(), itertools.count()
        self.threads = [threading.Thread(target=self.survey_client) for _ in range(SURVEY_CLIENTS)]
        self.threads.append(threading.Thread(target=self.api_client))

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def drop(self, port: int) -> None:
        """The load balancer stops sending to ``port``."""
        with self.lock:
            self.ports.remove(port)

    def _post(self, n: int, path: str, body: bytes, headers: dict[str, str]) -> int:
        with self.lock:
            port = self.ports[n % len(self.ports)]
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", path, body, headers)
            status = conn.getresponse().status
            conn.close()
        except (OSError, http.client.HTTPException):
            status = 0
        return status

    def survey_client(self) -> None:
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        while not self.stop.is_set():
            n = next(self.answers)
            comment = f"Pedido ref-{n:06d}: la entrega llegó tarde y nadie avisó"
            body = urlencode({"page": "0", "nps": str(n % 11), "comment": comment}).encode()
            status = self._post(n, f"/s/{self.setup['survey']}/", body, form)
            with self.lock:
                if status == 302:
                    self.answered.append(comment)
                else:
                    self.unknown += 1
            if status != 302:
                time.sleep(0.05)

    def api_client(self) -> None:
        headers = {"Content-Type": "application/json",
                   "Authorization": f"Bearer {self.setup['api']}"}  # fmt: skip
        while not self.stop.is_set():
            n = next(self.batches)
            ids = [f"b{n:04d}-{i:02d}" for i in range(BATCH_SIZE)]
            items = [{"source": "review", "external_id": ext, "touchpoint": self.setup["tp"],
                      "text": f"Reseña {ext}: el personal fue amable pero la cola era larga.",
                      "rating": 1 + i % 5} for i, ext in enumerate(ids)]  # fmt: skip
            body = json.dumps({"items": items}).encode()
            for attempt in itertools.count(n):  # until a node answers; the items keep their ids
                if self._post(attempt, "/api/feedback/batch", body, headers) == 200:
                    break
                with self.lock:
                    self.unknown += 1
                time.sleep(0.1)
            with self.lock:
                self.accepted.extend(ids)

    def wait_for(self, answers: int, items: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        answers += len(self.answered)
        items += len(self.accepted)
        while len(self.answered) < answers or len(self.accepted) < items:
            assert time.monotonic() < deadline, (len(self.answered), len(self.accepted))
            time.sleep(0.05)


def report(env: dict[str, str]) -> dict[str, Any]:
    out = pulso(env, "shell", "-c", REPORT)
    return dict(json.loads(out.split("REPORT", 1)[1]))


def _redis(env: dict[str, str]) -> Redis:
    return Redis.from_url(env["REDIS_URL"])


def _worker_id(env: dict[str, str], pid: int, seconds: float = 60) -> str:
    """The heartbeat name of the ``pulso worker`` with this process id."""
    deadline = time.monotonic() + seconds
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as db:
        while time.monotonic() < deadline:
            row = db.execute(
                "SELECT worker_id FROM core_workerheartbeat WHERE pid = %s", [pid]
            ).fetchone()
            if row:
                return str(row[0])
            time.sleep(0.2)
    raise AssertionError(f"worker {pid} did not report")


def _job_running_on(env: dict[str, str], worker_id: str, seconds: float = 60) -> str:
    """Wait until the worker ``worker_id`` is in the middle of a job; that job's id."""
    redis = _redis(env)
    registry = StartedJobRegistry("default", connection=redis)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for job_id in registry.get_job_ids(cleanup=False):
            if Job.fetch(job_id, connection=redis).worker_name == worker_id:
                return str(job_id)
        time.sleep(0.01)
    raise AssertionError(f"{worker_id} never started a job")


def _queues(env: dict[str, str]) -> dict[str, int]:
    redis = _redis(env)
    return {
        "queued": Queue("default", connection=redis).count,
        "started": StartedJobRegistry("default", connection=redis).count,
        "failed": FailedJobRegistry("default", connection=redis).count,
    }


def wait_until_done(env: dict[str, str], seconds: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        state = {**report(env), **_queues(env)}
        left = state["queued"] + state["started"] + state["pending_events"] + state["unanalysed"]
        if not left:
            return state
        counts = {k: v for k, v in state.items() if not isinstance(v, dict)}
        assert time.monotonic() < deadline, f"work left: {counts}"
        time.sleep(1)


def test_two_nodes_lose_and_duplicate_nothing_when_one_of_each_is_killed(
    cluster_env: dict[str, str], tmp_path: Path
) -> None:
    env = cluster_env
    pulso(env, "migrate", "-v0")
    setup = json.loads(pulso(env, "shell", "-c", SETUP).split("SETUP", 1)[1])
    log = tmp_path / "processes.log"
    ports = [free_port(), free_port()]
    webs = [start(env, log, "serve", "--port", str(p), "--workers", "1", "--threads", "4")
            for p in ports]  # fmt: skip
    workers = [start(env, log, "worker", "--interval", "0.1") for _ in range(2)]
    try:
        for port, web in zip(ports, webs, strict=True):
            wait_for_port(port, web)
        killed_worker = _worker_id(env, workers[0].pid)
        with Load(ports, setup) as load:
            load.wait_for(answers=40, items=3 * BATCH_SIZE)
            job = _job_running_on(env, killed_worker)
            kill(workers[0])
            load.drop(ports[0])
            kill(webs[0])
            load.wait_for(answers=40, items=3 * BATCH_SIZE)
        state = wait_until_done(env)
        killed_job_status = Job.fetch(job, connection=_redis(env)).get_status()
    finally:
        for process in webs + workers:
            if process.poll() is None:
                kill(process)

    comments, external_ids = state["comments"], state["external_ids"]
    assert [c for c in load.answered if comments.get(c) != 1] == []  # each answer stored once
    assert [c for c, n in comments.items() if n > 1] == []  # and nothing stored twice
    assert len(load.accepted) == len(set(load.accepted))
    assert [e for e in load.accepted if external_ids.get(e) != 1] == []  # each item once
    assert [e for e, n in external_ids.items() if n > 1] == []
    # Every comment has its analysis; every detractor exactly one case.
    assert state["texts"] >= len(load.answered) + len(load.accepted) and state["unanalysed"] == 0
    assert state["complete_detractors"] > 0
    assert state["cases_per_detractor"] == {"1": state["complete_detractors"]}
    # The job the killed worker was running was queued again and ran to the end.
    assert killed_job_status == JobStatus.FINISHED, killed_job_status
    assert state["failed"] == 0
