"""Ingest benchmark against a real server: survey submissions/s and API feedback items/s.

For each database (SQLite in a fresh data dir, then a fresh PostgreSQL database
``pulso_bench_<pid>`` at 127.0.0.1:5432, user postgres) it migrates, creates a live CSAT
survey (one page: score + comment) and an API token, starts ``pulso serve`` (gunicorn, gthread)
on a free port and measures:

* survey submissions/s: ``--connections`` keep-alive clients POST complete answers to the
  PUBLIC survey page (``/s/<token>/``, the form respondents use; CSRF-exempt by design,
  honeypot left empty); a round's figure is the responses stored in the database during the
  round divided by its duration, and the figure reported is the median of ``--rounds`` rounds
  (all rounds are printed too). The client is wrk when installed (``apt-get install wrk``:
  a C client takes far less of the cores it shares with the server), else Python http.client
  threads; the output names it and counts non-2xx/3xx answers. The GET of the form is not counted.
  The per-IP public rate limit is switched off (``PULSO_PUBLIC_RATE_LIMIT=off``): every
  request comes from 127.0.0.1.
* API items/s: clients POST batches of 10,000 feedback items to ``/api/feedback/batch``.

The last line printed is one JSON object with the four figures.

    .venv/bin/python bench/ingest.py [--seconds 10] [--rounds 3] [--connections 16]
        [--client auto|wrk|python] [--workers N] [--threads N] [--only sqlite|postgres]
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
from typing import Any
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


# wrk (C, epoll: far cheaper per request than a Python client on the server's cores) POSTs
# the same form as submit_loop; done() prints one JSON line with its counts.
WRK_SCRIPT = """
local n = 0
request = function()
  n = n + 1
  local body = "csat=" .. (1 + n % 5) .. "&comment=Me+atendieron+bien+" .. n
    .. "&page=0&progress=&leave_blank=&next=1"
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK{"requests": %d, "seconds": %.3f, "non_2xx_3xx": %d, "socket_errors": %d, '
    .. '"p50_ms": %.1f, "p99_ms": %.1f}\\n',
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3))
end
"""


def wrk_submissions(port: int, token: str, seconds: float, connections: int) -> dict[str, Any]:
    """Run wrk for ``seconds``; its counts (every request must be a 302: 200/4xx/5xx count
    as non_2xx_3xx only when not 2xx/3xx, so the database count is checked too)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "-s", script.name,
                   f"http://127.0.0.1:{port}/s/{token}/"]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    finally:
        os.unlink(script.name)
    return dict(json.loads(done.stdout.split("WRK", 1)[1].splitlines()[0]))


def python_submissions(port: int, token: str, seconds: float, connections: int) -> dict[str, Any]:
    """The fallback client: processes × 4 threads of keep-alive http.client (counts 302s)."""
    processes, threads = max(1, connections // 4), 4
    end = time.time() + seconds
    with multiprocessing.Pool(processes) as pool:
        started = time.time()
        done = sum(pool.map(submit_loop, [(port, token, end, threads)] * processes))
        elapsed = max(time.time(), end) - started
    return {"requests": done, "seconds": round(elapsed, 3), "non_2xx_3xx": None}


def measure_submissions(
    env: dict[str, str], port: int, token: str, options: argparse.Namespace
) -> dict[str, Any]:
    """Submissions/s counted in the database (responses stored during each round); the
    median of ``options.rounds`` rounds (the machine is shared: one round can be unlucky)."""
    use_wrk = options.client == "wrk" or (options.client == "auto" and shutil.which("wrk"))
    measure = wrk_submissions if use_wrk else python_submissions
    measure(port, token, 2, options.connections)  # warm-up: imports, caches, connections
    rounds = []
    for _ in range(options.rounds):
        before = stored_responses(env)
        counts = measure(port, token, options.seconds, options.connections)
        stored = stored_responses(env) - before
        # Requests still in flight when the clock stops are stored but not counted by the
        # client: count the smaller figure.
        done = min(stored, counts["requests"])
        rounds.append(counts | {"stored": stored, "per_s": done / counts["seconds"]})
    median = sorted(rounds, key=lambda r: r["per_s"])[len(rounds) // 2]
    return median | {
        "client": "wrk" if use_wrk else "python",
        "rounds_per_s": [round(r["per_s"], 1) for r in rounds],
        "non_2xx_3xx": sum(r["non_2xx_3xx"] or 0 for r in rounds) if use_wrk else None,
    }


def stored_responses(env: dict[str, str]) -> int:
    code = "from pulso.surveys.models import Response; print('N', Response.objects.count())"
    return int(run_pulso(env, "shell", "-c", code).split("N ", 1)[1].split()[0])


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


def bench_database(name: str, env: dict[str, str], options: argparse.Namespace) -> dict[str, Any]:
    from pulso.core.server import default_threads, default_workers

    run_pulso(env, "migrate", "--verbosity", "0")
    setup = json.loads(run_pulso(env, "shell", "-c", SETUP).split("SETUP", 1)[1])
    port = free_port()
    workers = options.workers or default_workers(name if name == "sqlite" else "postgresql")
    threads = options.threads or default_threads()
    server = serve(env, port, workers, threads)
    try:
        wait_for(port)
        submits = measure_submissions(env, port, setup["survey"], options)
        items = measure_batches(port, setup["token"], setup["tp"], options.batches, 2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"{name}: {submits['per_s']:.0f} survey submissions/s ({workers} workers × {threads} "
          f"threads; {json.dumps(submits)}), {items:.0f} API items/s", flush=True)  # fmt: skip
    if submits["stored"] < submits["requests"]:
        print(f"{name}: {submits['requests']} requests but {submits['stored']} stored responses")
    return {
        f"survey_submits_per_s_{name}": round(submits["per_s"], 1),
        f"api_items_per_s_{name}": round(items),
        f"submit_errors_{name}": submits["non_2xx_3xx"],
        f"submit_rounds_per_s_{name}": submits["rounds_per_s"],
        f"server_{name}": f"{workers}x{threads}",
        "client": submits["client"],
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
    parser.add_argument("--seconds", type=float, default=10, help="duration of a submit round")
    parser.add_argument("--rounds", type=int, default=3, help="submit rounds (median reported)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent submitters")
    parser.add_argument(
        "--client", choices=["auto", "wrk", "python"], default="auto", help="auto: wrk if installed"
    )
    parser.add_argument("--batches", type=int, default=6, help="10,000-item batches per database")
    parser.add_argument("--workers", type=int, help="default: pulso serve's for the database")
    parser.add_argument("--threads", type=int, help="default: pulso serve's")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    options = parser.parse_args()
    results: dict[str, Any] = {}
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
    main()
