"""Benchmark: server time of the dashboards and the explorer at 1,000,000 responses or more.

    .venv/bin/python bench/dashboards.py [--responses N] [--repeat R] [--backend sqlite|postgres]
    .venv/bin/python bench/dashboards.py --kept DB [--repeat R]

Without ``--backend`` it runs both back ends, each in a child process with a fresh database
(SQLite in a temporary data dir; PostgreSQL ``pulso_bench_dash_<pid>`` on 127.0.0.1:5432,
dropped afterwards). Responses come from a seeded generator, in date order as a history
export is, and are written through the product's bulk path, the history importer's
``fastwrite.ResponseWriter``, generated and turned into rows a chunk ahead by a child
process on the other core as the import's reader does (``BENCH_IN_PROCESS=1``: in this
process): the responses (multi-row INSERT … VALUES on SQLite, COPY on PostgreSQL) inside
:func:`pulso.core.bulk.bulk_insert`, whose hooks log each chunk's days, then their feedback
records copied from them in SQL. The load rate, generation included, is printed
(``load_rows_per_s_<db>``). The logged days are then refreshed as the
worker would, the result kept, the aggregates rebuilt from scratch and both compared row by
row (``aggregates_equal_<db>``); then each page is requested through Django's test client
(server time, in process). The last line printed is JSON with the p50 and p95 of each page.
``--kept DB`` only times the pages of a database a run kept (``BENCH_KEEP_DB=1``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
COMMENTS = [
    "La instalación fue rápida y el técnico muy amable",
    "El repartidor llegó tarde y no avisó",
    "Me cobraron el transporte dos veces",
    "Atención excelente en tienda, volveré",
    "La web es lenta y el pago falló",
    "No había stock del producto que quería",
    "El vendedor me asesoró con honestidad",
    "Tardaron tres semanas en la instalación del lavavajillas",
    "Precio muy competitivo, todo correcto",
    "Nadie contestaba en el teléfono de atención al cliente",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    kept = "only time the pages of a database kept by BENCH_KEEP_DB=1 (SQLite folder or URL)"
    parser.add_argument("--kept", metavar="DB", help=kept)
    args = parser.parse_args()
    if args.kept:
        print(json.dumps(time_kept(args.kept, args.repeat)))
        return
    if args.backend:
        print(json.dumps(run_backend(args.backend, args.responses, args.repeat)))
        return
    results: dict[str, Any] = {"responses": args.responses, "repeat": args.repeat}
    for backend in ("sqlite", "postgres"):
        results.update(_child(backend, args.responses, args.repeat))
    print(json.dumps(results))


def _child(backend: str, responses: int, repeat: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--backend", backend, "--responses", str(responses),
               "--repeat", str(repeat)]  # fmt: skip
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    sys.stderr.write(done.stderr)
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(f"[{backend}] {line}")
    return dict(json.loads(lines[-1]))


def run_backend(backend: str, responses: int, repeat: int) -> dict[str, Any]:
    data_dir = tempfile.mkdtemp(prefix="pulso-bench-dash-")
    os.environ["PULSO_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulso.settings")
    os.environ["ALLOWED_HOSTS"] = "*"
    database = f"pulso_bench_dash_{os.getpid()}"
    if backend == "postgres":
        _admin_sql(f"CREATE DATABASE {database}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        return _measure_backend(backend, responses, repeat)
    finally:
        if os.environ.get("BENCH_KEEP_DB"):
            kept = os.environ.get("DATABASE_URL") if backend == "postgres" else data_dir
            print(f"kept the database: {kept}")
        elif backend == "postgres":
            from django.db import connections

            connections.close_all()
            _admin_sql(f"DROP DATABASE IF EXISTS {database}")


def time_kept(database: str, repeat: int) -> dict[str, Any]:
    """The pages' p50 and p95 on a database a run kept, without loading anything (to time them
    again on a quieter machine, or after a change to the pages)."""
    backend = "postgres" if database.startswith("postgres") else "sqlite"
    if backend == "postgres":
        os.environ["DATABASE_URL"] = database
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["PULSO_DATA_DIR"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulso.settings")
    os.environ["ALLOWED_HOSTS"] = "*"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from pulso.accounts.models import OrgUnit
    from pulso.journeys.models import Touchpoint

    users = get_user_model().objects
    moment = Touchpoint.objects.filter(is_moment_of_truth=True).select_related("stage__journey")
    setup = {
        "admin": users.get(username="bench-admin"),
        "manager": users.get(username="bench-manager"),
        "journey": moment.first().stage.journey.slug,  # type: ignore[union-attr]
        "unit": OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE).first().code,  # type: ignore[union-attr]
    }
    return _page_figures(_time_pages(setup, repeat), backend)


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(sql)


def _measure_backend(backend: str, responses: int, repeat: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from pulso.metrics.aggregates import process_pending_changes, rebuild_all

    call_command("migrate", verbosity=0)
    setup = _setup_company()
    started = time.perf_counter()
    generate_s = _load_responses(setup, responses)
    load_s = time.perf_counter() - started
    rate, write_rate = responses / load_s, responses / (load_s - generate_s)
    print(f"loaded {responses} responses in {load_s:.1f}s ({rate:,.0f} rows/s), of which "
          f"{generate_s:.1f}s waiting for generated rows "
          f"({write_rate:,.0f} rows/s written)")  # fmt: skip
    started = time.perf_counter()
    process_pending_changes()
    refresh_s = time.perf_counter() - started
    _keep_aggregates()
    started = time.perf_counter()
    rebuild_all()
    rebuild_s = time.perf_counter() - started
    differences = _aggregate_differences()
    print(f"aggregates refreshed in {refresh_s:.1f}s, rebuilt in {rebuild_s:.1f}s; "
          f"rows differing from the rebuild: {differences}")  # fmt: skip
    # A web process does not carry the loader's heap: its garbage is collected now, not
    # during the first pages timed (a full collection then cost the first page 5-10 ms).
    gc.collect()
    timings = _time_pages(setup, repeat)
    if os.environ.get("BENCH_PLANS"):
        _print_plans(setup)
    result: dict[str, Any] = {
        f"load_s_{backend}": round(load_s, 1), f"load_rows_per_s_{backend}": round(rate),
        f"generate_s_{backend}": round(generate_s, 1),
        f"write_rows_per_s_{backend}": round(write_rate),
        f"refresh_s_{backend}": round(refresh_s, 1), f"rebuild_s_{backend}": round(rebuild_s, 1),
        f"aggregates_equal_{backend}": differences == 0,
    }  # fmt: skip
    return result | _page_figures(timings, backend)


def _page_figures(timings: dict[str, list[float]], backend: str) -> dict[str, Any]:
    """Print each page's p50 and p95 and return them under the bench's keys."""
    figures: dict[str, Any] = {}
    for page, samples in timings.items():
        p50, p95 = _percentiles(samples)
        print(f"{page}: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({len(samples)} requests)")
        figures[f"{page}_p50_ms_{backend}"] = round(p50, 1)
        figures[f"{page}_p95_ms_{backend}"] = round(p95, 1)
    return figures


AGGREGATES = {"metrics_dailyaggregate": "bench_daily", "metrics_monthlyaggregate": "bench_monthly"}


def _aggregate_columns(table: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, table)
    return ", ".join(c.name for c in described if c.name != "id")


def _keep_aggregates() -> None:
    """Copy the aggregates the incremental refresh wrote, to compare with a rebuild."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table, kept in AGGREGATES.items():
            cursor.execute(f"DROP TABLE IF EXISTS {kept}")
            cursor.execute(
                f"CREATE TABLE {kept} AS SELECT {_aggregate_columns(table)} FROM {table}"
            )


def _aggregate_differences() -> int:
    """Rows in one of (kept, rebuilt) and not in the other, plus the difference in row counts."""
    from django.db import connection

    differences = 0
    with connection.cursor() as cursor:
        for table, kept in AGGREGATES.items():
            columns = _aggregate_columns(table)
            for first, second in ((table, kept), (kept, table)):
                cursor.execute(
                    f"SELECT COUNT(*) FROM (SELECT {columns} FROM {first} "
                    f"EXCEPT SELECT {columns} FROM {second}) AS differing"
                )
                differences += cursor.fetchone()[0]
            cursor.execute(f"SELECT (SELECT COUNT(*) FROM {table}) - (SELECT COUNT(*) FROM {kept})")
            differences += abs(cursor.fetchone()[0])
            cursor.execute(f"DROP TABLE {kept}")
    return differences


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94]


def _setup_company() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from pulso.accounts.models import Membership, OrgUnit, Role
    from pulso.demo import journeys, org
    from pulso.journeys.models import Touchpoint
    from pulso.surveys.models import Survey, SurveyVersion

    rng = random.Random(7)
    org.build(rng, lambda label, total: lambda n: None)
    journeys.build(rng, lambda label, total: lambda n: None)
    surveys = []
    for tp in Touchpoint.objects.select_related("stage__journey"):
        survey = Survey.objects.create(name=f"Bench {tp.pk}", touchpoint=tp, status="live")
        version = SurveyVersion.objects.create(
            survey=survey, number=1, title_es=tp.name, published_at=timezone.now()
        )
        survey.current_version = version
        survey.save(update_fields=["current_version"])
        surveys.append((survey.pk, version.pk, tp.pk, tp.stage.journey_id, tp.channel, tp.stage_id))
    stores = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE).values_list("pk", flat=True))
    others = list(
        OrgUnit.objects.exclude(kind__in=["store", "company", "region"]).values_list(
            "pk", flat=True
        )
    )
    user_model = get_user_model()
    admin = user_model.objects.create_superuser("bench-admin", "b@example.com", "x")
    manager = user_model.objects.create_user("bench-manager", "m@example.com", "x")
    store = OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE).first()
    Membership.objects.create(user=manager, unit=store, role=Role.UNIT_MANAGER)
    journey = Touchpoint.objects.filter(is_moment_of_truth=True).first().stage.journey  # type: ignore[union-attr]
    return {"surveys": surveys, "stores": stores, "others": others or stores, "admin": admin,
            "manager": manager, "journey": journey.slug, "unit": store.code,  # type: ignore[union-attr]
            "now": datetime.now().astimezone()}  # fmt: skip


CHUNK = 20_000


def _chunks(setup: dict[str, Any], count: int) -> Any:
    """Lists of generated responses (field values by attname), oldest first."""
    rng = random.Random(20261124)
    span, start = 365 * 86400, setup["now"] - timedelta(days=365)
    quality = {s[0]: rng.uniform(-0.25, 0.25) for s in setup["surveys"]}
    channels, weights = ["email", "sms", "link", "qr"], [0.5, 0.25, 0.15, 0.1]
    segments = ["Particular", "Profesional", "Premium"]
    for first in range(0, count, CHUNK):
        size = min(CHUNK, count - first)
        picked = rng.choices(setup["surveys"], k=size)
        picked_channels = rng.choices(channels, weights, k=size)
        chunk = []
        for i, (survey, version, tp, journey, tp_channel, _stage) in enumerate(picked):
            unit = rng.choice(
                setup["stores"] if tp_channel in ("store", "home") else setup["others"]
            )
            nps = max(0, min(10, round(rng.gauss(7.6 + 8 * quality[survey], 2.2))))
            when = start + timedelta(seconds=(first + i + rng.random()) * span / count)
            comment = rng.choice(COMMENTS) if rng.random() < 0.25 else ""
            chunk.append({
                "survey_id": survey, "version_id": version, "touchpoint_id": tp,
                "journey_id": journey, "org_unit_id": unit, "channel": picked_channels[i],
                "segment": rng.choice(segments), "is_complete": True, "started_at": when,
                "submitted_at": when, "nps": nps,
                "csat": max(1, min(5, round(nps / 2.2 + rng.uniform(-0.6, 0.6))))
                if tp % 2 else None,
                "ces": max(1, min(7, round(nps * 0.6 + rng.uniform(-1, 1))))
                if not tp % 2 else None,
                "comment": comment,
            })  # fmt: skip
        yield chunk


def _load_responses(setup: dict[str, Any], count: int) -> float:
    """Write the responses as a history import from the command line does
    (``fastwrite.ResponseWriter``): a child process on the other core generates each chunk
    and builds its rows (``prepare``, what the import's reader does with a file), a chunk
    ahead (:func:`pulso.core.readahead.ahead_in_child`); this process numbers them and writes
    them per chunk, in one transaction: the responses as a bulk write (its hooks log the
    chunk's days), then their feedback records copied from them in SQL. ``BENCH_IN_PROCESS=1``
    generates in this process instead. Returns the seconds spent waiting for generated rows."""
    from django.db import transaction

    from pulso.core.readahead import ahead_in_child
    from pulso.surveys.importers.fastwrite import ResponseWriter, roomy_cache

    writer, waiting = ResponseWriter(), 0.0

    def prepared() -> Any:
        for chunk in _chunks(setup, count):
            yield writer.prepare(chunk)

    with roomy_cache():
        in_process = os.environ.get("BENCH_IN_PROCESS")
        chunks = prepared() if in_process else ahead_in_child(prepared)
        while True:
            started = time.perf_counter()
            rows = next(chunks, None)
            waiting += time.perf_counter() - started
            if rows is None:
                break
            with transaction.atomic():
                writer.write_rows(rows, {})
    return waiting


def dashboard_pages(admin: Any, manager: Any, journey: str, unit: str) -> dict[str, Any]:
    """The pages timed, each with the signed-in client that asks for it."""
    from django.utils import timezone

    month_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    filtered = f"journey={journey}&from={month_ago}&group=detractor"
    return {
        "overview": (admin, "/dashboards/"),
        "journey": (admin, f"/dashboards/journeys/{journey}/"),
        "explorer": (admin, f"/dashboards/explorer/?{filtered}"),
        "explorer_search": (admin, f"/dashboards/explorer/?from={month_ago}&q=instalacion"),
        "overview_store_manager": (manager, "/dashboards/"),
        "league": (admin, "/dashboards/league/"),
        "unit": (admin, f"/dashboards/units/{unit}/"),
    }


def _time_pages(setup: dict[str, Any], repeat: int) -> dict[str, list[float]]:
    from django.test import Client

    admin, manager = Client(), Client()
    admin.force_login(setup["admin"])
    manager.force_login(setup["manager"])
    pages = dashboard_pages(admin, manager, setup["journey"], setup["unit"])
    # A later page of the explorer: seek from the last row of the first (no offset).
    older = re.search(r'older=([0-9.]+)"', admin.get(pages["explorer"][1]).content.decode())
    if older is not None:
        pages["explorer_next"] = (admin, f"{pages['explorer'][1]}&older={older[1]}")
    setup["planned_pages"] = {
        n: page
        for n, page in pages.items()
        if n.startswith(("explorer", "unit", "overview_store_manager"))
    }
    timings: dict[str, list[float]] = {}
    for name, (client, url) in pages.items():
        for _ in range(3):  # warm caches and connections
            _get(client, url)
        timings[name] = [_get(client, url) for _ in range(repeat)]
    return timings


PLANNED_TABLES = ("feedback_feedback", "metrics_", "surveys_invitation")


def _print_plans(setup: dict[str, Any]) -> None:
    """The statements of the explorer pages, the unit page and the store manager's overview,
    and the plan of each that reads records, aggregates or invitations (``BENCH_PLANS=1``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    explain = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for name, (client, url) in setup.get("planned_pages", {}).items():
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        statements = captured.captured_queries
        print(f"plans of {name} ({elapsed:.0f} ms, {len(statements)} statements):")
        for query in statements:
            if not any(table in query["sql"] for table in PLANNED_TABLES):
                print(f"  {query['time']} s (not explained): {query['sql'][:160]}")
                continue
            print(f"  {query['time']} s: {query['sql'][:400]}")
            with connection.cursor() as cursor:
                cursor.execute(explain + query["sql"])
                for line in cursor.fetchall():
                    print("    " + " ".join(str(part) for part in line))


def _get(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


if __name__ == "__main__":
    main()
