"""CPU per item of an API feedback batch, in process: no server, no network, no client.

Migrates a fresh SQLite database (or, with ``--postgres``, a fresh PostgreSQL database
``pulso_bench_cpu_<pid>`` at 127.0.0.1:5432), sets up what ``bench/ingest.py`` does (a store, a
touchpoint, an API token) and POSTs ``--batches`` batches of 10,000 items (the bodies
``bench/ingest.py`` sends) to ``/api/feedback/batch`` through Django's test client, after one
warm-up batch. The figure is ``time.process_time()`` (this process's CPU, so other load on the
machine counts far less than in wall-clock figures) per accepted item over all batches.

Like ``bench/submit_cpu.py`` it uses only what every version of Pulso has, so the same script
measures two checkouts: run it with ``PYTHONPATH`` pointing at each. ``--profile`` prints the
functions that took the most CPU; ``--statements`` the SQL statements that took the most time.

The last line printed is one JSON object: ``api_batch_cpu_us_<db>`` (µs of CPU per item) and
``api_batch_rounds_cpu_us_<db>`` (per batch).

    .venv/bin/python bench/api_batch_cpu.py [--batches 8] [--postgres] [--profile] [--statements]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from submit_cpu import bench_database

from ingest import BATCH, batch_body


def timed_statements(totals: dict[str, float]) -> Callable[..., Any]:
    """A database execute wrapper adding each statement's wall time to ``totals`` (by its start)."""

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            totals[sql[:90]] += time.perf_counter() - started

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=8, help="measured 10,000-item batches")
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database")
    parser.add_argument("--profile", action="store_true", help="profile the measured batches")
    parser.add_argument("--statements", action="store_true", help="time the SQL statements")
    options = parser.parse_args()
    name = "postgres" if options.postgres else "sqlite"
    with bench_database(options.postgres) as scope:
        from django.db import connection
        from django.test import Client

        client = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {scope['raw']}")
        bodies = [batch_body(run, scope["touchpoint"].pk) for run in range(-1, options.batches)]
        totals: dict[str, float] = defaultdict(float)
        profiler = cProfile.Profile()
        per_batch = []
        with connection.execute_wrapper(timed_statements(totals)):
            for number, body in enumerate(bodies):
                measured = number > 0  # the first batch warms up imports, caches, customers
                if measured and options.profile:
                    profiler.enable()
                cpu = time.process_time()
                answer = client.post("/api/feedback/batch", body, content_type="application/json")
                spent = time.process_time() - cpu
                profiler.disable()
                if answer.status_code != 200 or answer.json()["accepted"] != BATCH:
                    raise SystemExit(f"batch {number} answered {answer.status_code}")
                if measured:
                    per_batch.append(1e6 * spent / BATCH)
                    print(f"{name} batch {number}: {per_batch[-1]:.1f} µs CPU per item", flush=True)
                else:
                    totals.clear()
        items = BATCH * len(per_batch)
        if options.profile:
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)
        if options.statements:
            for sql, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:12]:
                print(f"{1e6 * seconds / items:7.2f} µs per item  {sql}")
        print(json.dumps({
            f"api_batch_cpu_us_{name}": round(sum(per_batch) / len(per_batch), 2),
            f"api_batch_rounds_cpu_us_{name}": [round(b, 2) for b in per_batch],
        }))  # fmt: skip


if __name__ == "__main__":
    main()
