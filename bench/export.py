"""Benchmark: peak memory of the explorer's CSV export of 1,000,000 feedback records.

    .venv/bin/python bench/export.py [--rows N] [--backend sqlite|postgres]

A fresh database (SQLite in a temporary data dir; PostgreSQL ``pulso_bench_export_<pid>`` on
127.0.0.1:5432, dropped afterwards) is loaded with the seeded responses of
``bench/dashboards.py`` (COPY on PostgreSQL, executemany on SQLite; the change-log and search
triggers fire as for any import). A child process then asks for the whole year as CSV, as an
admin, through Django's request handler, reads the stream to the end, checks every record is
there once, and reports its own peak resident memory (``ru_maxrss``): the figure the export
must keep under 300 MB whatever the row count. The last line printed is JSON with
``export_peak_mb`` (the highest over the back ends run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        print(json.dumps(export_in_this_process()))
        return
    backends = [args.backend] if args.backend else ["postgres", "sqlite"]
    results: dict[str, Any] = {"rows": args.rows}
    for backend in backends:
        results.update(run_backend(backend, args.rows))
    results["export_peak_mb"] = max(v for k, v in results.items() if k.startswith("peak_mb_"))
    print(json.dumps(results))


def run_backend(backend: str, rows: int) -> dict[str, Any]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pulso.settings", "ALLOWED_HOSTS": "*",
           "PULSO_DATA_DIR": tempfile.mkdtemp(prefix="pulso-bench-export-"),
           "LOG_LEVEL": "ERROR"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    database = f"pulso_bench_export_{os.getpid()}"
    if backend == "postgres":
        _admin_sql(f"CREATE DATABASE {database}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{database}"
    try:
        started = time.perf_counter()
        _run([sys.executable, __file__, "--rows", str(rows)], env, load_only=True)
        print(f"[{backend}] loaded {rows} responses in {time.perf_counter() - started:.1f}s")
        done = _run([sys.executable, __file__, "--export-child"], env)
        figures = json.loads(done.strip().splitlines()[-1])
        print(
            f"[{backend}] exported {figures['rows']} rows ({figures['mb']:.0f} MB of CSV) in "
            f"{figures['wall_s']:.1f} wall-s (first rows after {figures['first_rows_s']:.1f} s), "
            f"{figures['cpu_s']:.1f} CPU-s; peak RSS "
            f"{figures['peak_mb']:.0f} MB (once started, before the request: "
            f"{figures['baseline_mb']:.0f} MB)"
        )
        if figures["rows"] != figures["expected"] or not figures["ids_match"]:
            raise SystemExit(f"[{backend}] {figures['rows']} rows, {figures['expected']} expected")
        return {f"{k}_{backend}": v for k, v in figures.items() if k != "expected"}
    finally:
        if backend == "postgres":
            _admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def _run(command: list[str], env: dict[str, str], load_only: bool = False) -> str:
    if load_only:
        env = {**env, "PULSO_BENCH_EXPORT_LOAD": "1"}
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    return done.stdout


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def load(rows: int) -> None:
    """Migrate, then load ``rows`` responses with their feedback records."""
    import django

    django.setup()
    from django.core.management import call_command

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from dashboards import _load_responses, _setup_company

    call_command("migrate", verbosity=0)
    _load_responses(_setup_company(), rows)


def export_in_this_process() -> dict[str, Any]:
    """Read the whole CSV export as the admin does; count the rows and their ids."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Sum
    from django.test import Client
    from django.urls import resolve
    from django.utils import timezone

    from pulso.feedback.models import Feedback

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-admin"))
    start = (timezone.localdate() - timedelta(days=400)).isoformat()
    records = Feedback.objects.complete()
    expected = records.count()
    expected_ids = records.aggregate(total=Sum("pk"))["total"]
    resolve("/dashboards/")  # the URL configuration imports every app's views: start-up
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall0, cpu0 = time.perf_counter(), time.process_time()
    response = client.get(f"/dashboards/explorer/export.csv?from={start}")
    assert response.status_code == 200, response.status_code
    size, lines, id_sum, first_byte_s = 0, -1, 0, 0.0
    for chunk in response.streaming_content:
        if not size:
            first_byte_s = time.perf_counter() - wall0
        size += len(chunk)
        for line in chunk.splitlines():
            lines += 1
            id_sum += int(line.split(b",", 2)[1]) if lines else 0
    return {
        "rows": lines,
        "ids_match": id_sum == expected_ids,
        "expected": expected,
        "mb": size / 1e6,
        "first_rows_s": round(first_byte_s, 2),
        "wall_s": round(time.perf_counter() - wall0, 1),
        "cpu_s": round(time.process_time() - cpu0, 1),
        "baseline_mb": round(baseline_mb, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    if os.environ.get("PULSO_BENCH_EXPORT_LOAD"):
        load(int(sys.argv[sys.argv.index("--rows") + 1]))
    else:
        main()
