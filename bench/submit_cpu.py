"""CPU per public survey submission, in process: no server, no network, no client.

Migrates a fresh SQLite database (or, with ``--postgres``, a fresh PostgreSQL database
``pulso_bench_cpu_<pid>`` at 127.0.0.1:5432), creates a live CSAT survey (one page: score +
comment) and POSTs complete answers to its PUBLIC page (``/s/<token>/``) through Django's test
client, ``--submissions`` per round. A round's figure is ``time.process_time()`` (this
process's CPU, so other load on the machine counts far less than in wall-clock figures)
divided by the submissions stored; the median of ``--rounds`` rounds is reported.

It uses only what every version of Pulso has (the public page and the survey actions), so
the same script measures two checkouts: run it with ``PYTHONPATH`` pointing at each.
``--profile`` prints the functions that took the most CPU in the last round; ``--queries``
prints the SQL statements of one submission (after the rounds) and adds their count.

The last line printed is one JSON object: ``submit_cpu_ms_<db>``, ``submit_rounds_cpu_ms_<db>``
(and ``submit_statements_<db>`` with ``--queries``).

    .venv/bin/python bench/submit_cpu.py [--submissions 400] [--rounds 5] [--postgres] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

# The survey set-up of bench/ingest.py (a live CSAT survey of one store; it prints a line).
from ingest import SETUP

FORM = "application/x-www-form-urlencoded"  # what a browser (and bench/ingest.py) sends
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def configure(database_url: str | None) -> None:
    os.environ["PULSO_DATA_DIR"] = tempfile.mkdtemp(prefix="pulso-bench-cpu-")
    os.environ.setdefault("PULSO_PUBLIC_RATE_LIMIT", "off")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("PULSO_TASKS_BACKEND", "db")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pulso.settings"
    import django

    django.setup()


@contextmanager
def bench_database(postgres: bool) -> Iterator[dict[str, Any]]:
    """A migrated fresh database (SQLite, or PostgreSQL ``pulso_bench_cpu_<pid>``, dropped
    afterwards) holding ``SETUP``'s survey; yields the names ``SETUP`` defined."""
    database = f"pulso_bench_cpu_{os.getpid()}"
    if postgres:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
    try:
        configure(f"postgres://postgres@127.0.0.1:5432/{database}" if postgres else None)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        scope: dict[str, Any] = {}
        exec(SETUP, scope)  # noqa: S102 - the benchmark's own fixed setup code
        yield scope
    finally:
        if postgres:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def submit_round(client: Any, path: str, count: int, start: int) -> tuple[float, int]:
    """POST ``count`` complete answers; the CPU seconds spent and the responses stored."""
    from pulso.surveys.models import Response

    before = Response.objects.count()
    cpu = time.process_time()
    for n in range(start, start + count):
        form = {"csat": str(1 + n % 5), "comment": f"Me atendieron bien {n}", "page": "0",
                "progress": "", "leave_blank": "", "next": "1"}  # fmt: skip
        answer = client.post(path, urlencode(form), content_type=FORM)
        if answer.status_code != 302:
            raise SystemExit(f"submission {n} answered {answer.status_code}")
    spent = time.process_time() - cpu
    return spent, Response.objects.count() - before


def submission_statements(client: Any, path: str) -> list[str]:
    """The SQL statements one more submission runs (BEGIN/COMMIT are not listed by Django)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        submit_round(client, path, 1, 9_000_000)
    counted = [query["sql"] for query in captured.captured_queries]
    # submit_round's own two counts of the stored responses are not the submission's
    return counted[1:-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=400, help="submissions per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (median reported)")
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database")
    parser.add_argument("--profile", action="store_true", help="profile the last round")
    parser.add_argument("--queries", action="store_true", help="list one submission's SQL")
    options = parser.parse_args()
    name = "postgres" if options.postgres else "sqlite"
    with bench_database(options.postgres) as scope:
        from django.test import Client

        path = f"/s/{scope['survey'].public_token}/"
        client = Client(SERVER_NAME="localhost")
        submit_round(client, path, 50, 0)  # warm-up: imports, caches, connection
        rounds = []
        profiler = cProfile.Profile()
        for number in range(options.rounds):
            last = number == options.rounds - 1
            if last and options.profile:
                profiler.enable()
            first = 1_000_000 * (number + 1)  # distinct comments in every round
            spent, stored = submit_round(client, path, options.submissions, first)
            if last and options.profile:
                profiler.disable()
            rounds.append(1000 * spent / max(stored, 1))
            print(f"{name} round {number + 1}: {rounds[-1]:.3f} ms CPU per submission "
                  f"({stored} stored)", flush=True)  # fmt: skip
        if options.profile:
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(40)
        figures: dict[str, Any] = {
            f"submit_cpu_ms_{name}": round(statistics.median(rounds), 3),
            f"submit_rounds_cpu_ms_{name}": [round(r, 3) for r in rounds],
        }
        if options.queries:
            statements = submission_statements(client, path)
            for sql in statements:
                print(f"SQL {sql[:300]}")
            figures[f"submit_statements_{name}"] = len(statements)
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
