"""Ingest benchmark against a real server: survey submissions/s and API feedback items/s.

For each database (SQLite in a fresh data dir, then a fresh PostgreSQL database
``pulso_bench_<pid>`` at 127.0.0.1:5432, user postgres) it migrates, creates a live CSAT
survey (one page: score + comment) and an API token, starts ``pulso serve`` (gunicorn, gthread)
on a free port and measures:

* survey submissions/s: client processes POST complete answers to the PUBLIC survey page
  (``/s/<token>/``, the form respondents use; CSRF-exempt by design, honeypot left empty),
  counting the 302 redirects to the thank-you page. The GET of the form is not counted.
  The per-IP public rate limit is switched off (``PULSO_PUBLIC_RATE_LIMIT=off``): every
  request comes from 127.0.0.1.
* API items/s: clients POST batches of 10,000 feedback items to ``/api/feedback/batch``.

The last line printed is one JSON object with the four figures.

    .venv/bin/python bench/ingest.py [--seconds 15] [--workers 3] [--threads 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

# The ``pulso`` script of the virtual environment running this benchmark.
PULSO = str(Path(sys.executable).parent / "pulso")
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BATCH = 10_000

SETUP = """
import json
from django.contrib.auth import get_user_model
from pulso.accounts.actions import do_create_api_token
from pulso.accounts.models import OrgUnit
from pulso.journeys.models import Journey, Stage, Touchpoint
from pulso.surveys.actions import do_create_survey, do_publish_survey
company = OrgUnit.objects.create(name="Bench", code="bench", kind="company")
store = OrgUnit.objects.create(name="Tienda", code="tienda", kind="store", parent=company)
journey = Journey.objects.create(name="Compra", slug="compra")
stage = Stage.objects.create(journey=journey, name="Pago")
touchpoint = Touchpoint.objects.create(stage=stage, name="Caja", channel="store", owner_unit=store)
survey = do_create_survey("Bench CSAT", touchpoint, org_unit=store, template="csat")
do_publish_survey(survey)
survey.refresh_from_db()
user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-pass-123")
_token, raw = do_create_api_token(user, "bench")
print("SETUP" + json.dumps({"token": raw, "survey": survey.public_token, "tp": touchpoint.pk}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_pulso(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PULSO, *args], env=env, capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0:
        raise SystemExit(f"pulso {' '.join(args[:2])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not start on port {port}")


def submit_loop(args: tuple[int, str, float, int]) -> int:
    """One client process: ``threads`` keep-alive connections POSTing answers until ``end``."""
    import threading

    port, token, end, threads = args
    counts = [0] * threads

    def client(slot: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        n = 0
        while time.time() < end:
            n += 1
            answers = {"csat": str(1 + n % 5), "comment": f"Me atendieron bien {n}"}
            form = {"page": "0", "progress": "", "leave_blank": "", "next": "1"}
            body = urlencode(answers | form)
            try:
                conn.request("POST", f"/s/{token}/", body, headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            if response.status == 302:
                counts[slot] += 1
            elif response.getheader("Connection", "").lower() == "close":
                conn.close()

    pool = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(counts)


def measure_submissions(port: int, token: str, seconds: float, clients: int) -> float:
    processes, threads = clients, 4
    end = time.time() + seconds
    with multiprocessing.Pool(processes) as pool:
        started = time.time()
        done = sum(pool.map(submit_loop, [(port, token, end, threads)] * processes))
        elapsed = max(time.time(), end) - started
    return done / elapsed


def batch_body(run: int, tp: int) -> bytes:
    items = [
        {
            "source": "review",
            "source_name": "Google",
            "external_id": f"b{run}-{i}",
            "text": f"Reseña {i}: el personal fue amable pero la cola de caja era muy larga.",
            "rating": 1 + i % 5,
            "touchpoint": tp,
            "customer": f"C{i % 2000:05d}",
            "received_at": "2025-03-01T10:15:00",
        }
        for i in range(BATCH)
    ]
    return json.dumps({"items": items}).encode()


def post_batches(args: tuple[int, str, list[bytes]]) -> int:
    port, token, bodies = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    accepted = 0
    for body in bodies:
        conn.request("POST", "/api/feedback/batch", body, headers)
        response = conn.getresponse()
        payload = json.loads(response.read())
        if response.status != 200:
            raise SystemExit(f"batch failed: {response.status} {str(payload)[:300]}")
        accepted += payload["accepted"]
    return accepted


def measure_batches(port: int, token: str, tp: int, batches: int, clients: int) -> float:
    post_batches((port, token, [batch_body(-1, tp)]))  # warm-up: imports, customers
    bodies = [batch_body(run, tp) for run in range(batches)]
    shares = [bodies[i::clients] for i in range(clients)]
    with multiprocessing.Pool(clients) as pool:
        started = time.perf_counter()
        accepted = sum(pool.map(post_batches, [(port, token, share) for share in shares]))
        elapsed = time.perf_counter() - started
    return accepted / elapsed


def serve(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    command = [PULSO, "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--threads", str(threads)]  # fmt: skip
    return subprocess.Popen(command, env=env, start_new_session=True)


def bench_database(name: str, env: dict[str, str], options: argparse.Namespace) -> dict[str, float]:
    run_pulso(env, "migrate", "--verbosity", "0")
    setup = json.loads(run_pulso(env, "shell", "-c", SETUP).split("SETUP", 1)[1])
    port = free_port()
    server = serve(env, port, options.workers, options.threads)
    try:
        wait_for(port)
        submits = measure_submissions(port, setup["survey"], options.seconds, options.clients)
        items = measure_batches(port, setup["token"], setup["tp"], options.batches, 2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"{name}: {submits:.0f} survey submissions/s, {items:.0f} API items/s", flush=True)
    return {
        f"survey_submits_per_s_{name}": round(submits, 1),
        f"api_items_per_s_{name}": round(items),
    }


def base_env(data_dir: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(PULSO_DATA_DIR=data_dir, PULSO_PUBLIC_RATE_LIMIT="off", LOG_LEVEL="ERROR",
               PULSO_TASKS_BACKEND=os.environ.get("PULSO_TASKS_BACKEND", "db"))  # fmt: skip
    return env


def postgres_database() -> str:
    import psycopg

    name = f"pulso_bench_{os.getpid()}"
    with psycopg.connect(
        PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(
        PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15, help="duration of the submit test")
    parser.add_argument("--clients", type=int, default=2, help="client processes (4 threads each)")
    parser.add_argument("--batches", type=int, default=6, help="10,000-item batches per database")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    options = parser.parse_args()
    results: dict[str, float] = {}
    if options.only != "postgres":
        data_dir = tempfile.mkdtemp(prefix="pulso-bench-")
        try:
            results |= bench_database("sqlite", base_env(data_dir), options)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    if options.only != "sqlite":
        data_dir = tempfile.mkdtemp(prefix="pulso-bench-")
        name = postgres_database()
        env = base_env(data_dir) | {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}
        try:
            results |= bench_database("postgres", env, options)
        finally:
            drop_postgres_database(name)
            shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(results))


if __name__ == "__main__":
    sys.exit(main())
