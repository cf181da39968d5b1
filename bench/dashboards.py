"""Benchmark: server time of the overview, journey and explorer pages at 1,000,000 responses.

    .venv/bin/python bench/dashboards.py [--responses N] [--repeat R] [--backend sqlite|postgres]

Without ``--backend`` it runs both back ends, each in a child process with a fresh database
(SQLite in a temporary data dir; PostgreSQL ``pulso_bench_dash_<pid>`` on 127.0.0.1:5432,
dropped afterwards). Responses come from a seeded generator and are bulk inserted (COPY on
PostgreSQL), so the change-log triggers fire as for any import; the aggregates are then
rebuilt and each page is requested through Django's test client (server time, in process).
The last line printed is JSON with the p95 of each page on each back end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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
    args = parser.parse_args()
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
        if backend == "postgres":
            from django.db import connections

            connections.close_all()
            _admin_sql(f"DROP DATABASE IF EXISTS {database}")


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(sql)


def _measure_backend(backend: str, responses: int, repeat: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    setup = _setup_company()
    _load_responses(setup, responses)
    load_s = time.perf_counter() - started
    from pulso.metrics.aggregates import rebuild_all

    started = time.perf_counter()
    rebuild_all()
    rebuild_s = time.perf_counter() - started
    print(f"loaded {responses} responses in {load_s:.1f}s, aggregates rebuilt in {rebuild_s:.1f}s")
    timings = _time_pages(setup, repeat)
    result: dict[str, Any] = {f"load_s_{backend}": round(load_s, 1),
                              f"rebuild_s_{backend}": round(rebuild_s, 1)}  # fmt: skip
    for page, samples in timings.items():
        p50, p95 = _percentiles(samples)
        print(f"{page}: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({len(samples)} requests)")
        result[f"{page}_p50_ms_{backend}"] = round(p50, 1)
        result[f"{page}_p95_ms_{backend}"] = round(p95, 1)
    return result


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
            "manager": manager, "journey": journey.slug,
            "now": datetime.now().astimezone()}  # fmt: skip


def _rows(setup: dict[str, Any], count: int) -> Any:
    rng = random.Random(20261124)
    now = setup["now"]
    quality = {s[0]: rng.uniform(-0.25, 0.25) for s in setup["surveys"]}
    channels, weights = ["email", "sms", "link", "qr"], [0.5, 0.25, 0.15, 0.1]
    segments = ["Particular", "Profesional", "Premium"]
    for _ in range(count):
        survey, version, tp, journey, tp_channel, stage = rng.choice(setup["surveys"])
        unit = rng.choice(setup["stores"] if tp_channel in ("store", "home") else setup["others"])
        nps = max(0, min(10, round(rng.gauss(7.6 + 8 * quality[survey], 2.2))))
        when = now - timedelta(seconds=rng.randrange(365 * 86400))
        comment = rng.choice(COMMENTS) if rng.random() < 0.25 else ""
        csat = max(1, min(5, round(nps / 2.2 + rng.uniform(-0.6, 0.6)))) if tp % 2 else None
        ces = max(1, min(7, round(nps * 0.6 + rng.uniform(-1, 1)))) if not tp % 2 else None
        yield {
            "survey_id": survey, "version_id": version, "touchpoint_id": tp,
            "journey_id": journey, "org_unit_id": unit,
            "channel": rng.choices(channels, weights)[0], "segment": rng.choice(segments),
            "is_complete": True, "started_at": when, "submitted_at": when,
            "nps": nps, "csat": csat, "ces": ces, "comment": comment,
            "stage_id": stage, "tp_channel": tp_channel,
        }  # fmt: skip


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """The feedback record of a generated response (what ``Response.record_values`` holds)."""
    return {
        "source": "survey", "source_name": "", "external_id": None, "author": "",
        "channel": row["tp_channel"], "text": row["comment"], "rating": None,
        "rating_scale_max": 5, "customer_id": None, "touchpoint_id": row["touchpoint_id"],
        "journey_id": row["journey_id"], "stage_id": row["stage_id"],
        "org_unit_id": row["org_unit_id"], "language": "es", "nps": row["nps"],
        "csat": row["csat"], "ces": row["ces"], "received_at": row["submitted_at"],
        "created_at": row["submitted_at"],
    }  # fmt: skip


def _load_responses(setup: dict[str, Any], count: int) -> None:
    """Insert straight into the tables (executemany / COPY): the fastest writer there is.

    Each response's feedback record is written first with an explicit id (a second pass of the
    same seeded generator), then the responses pointing at them.
    """
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from pulso.feedback.models import Feedback
    from pulso.surveys.models import Response

    first = (Feedback.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    records = ((i, _record(r)) for i, r in enumerate(_rows(setup, count), first))
    responses = ((i, r) for i, r in enumerate(_rows(setup, count), first))
    with transaction.atomic(), connection.cursor() as cursor:
        for model, rows in ((Feedback, records), (Response, responses)):
            columns, values = _table_values(model, rows)
            if connection.vendor == "postgresql":
                _copy(cursor, model._meta.db_table, columns, values)
            else:
                _insert_many(cursor, model._meta.db_table, columns, values)
        for sql in connection.ops.sequence_reset_sql(no_style(), [Feedback]):
            cursor.execute(sql)


def _table_values(model: Any, rows: Any) -> tuple[list[str], Any]:
    """The columns of ``model`` (its id included) and the rows' values in that order."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields] + (["id"] if model.__name__ == "Feedback" else [])
    defaults = {f.column: f.get_default() for f in fields}

    def values() -> Any:
        for pk, row in rows:
            merged = {**defaults, **row, "id": pk, "feedback_id": pk}
            yield [merged[c] for c in columns]

    return columns, values()


def _copy(cursor: Any, table: str, columns: list[str], rows: Any) -> None:
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert_many(
    cursor: Any, table: str, columns: list[str], rows: Any, batch: int = 20_000
) -> None:
    from django.db import connection

    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    pending: list[list[Any]] = []
    for row in rows:
        pending.append(
            [
                connection.ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v
                for v in row
            ]
        )
        if len(pending) >= batch:
            cursor.executemany(sql, pending)
            pending = []
    if pending:
        cursor.executemany(sql, pending)


def _time_pages(setup: dict[str, Any], repeat: int) -> dict[str, list[float]]:
    from django.test import Client
    from django.utils import timezone

    admin, manager = Client(), Client()
    admin.force_login(setup["admin"])
    manager.force_login(setup["manager"])
    month_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    filtered = f"journey={setup['journey']}&from={month_ago}&group=detractor"
    pages = {
        "overview": (admin, "/dashboards/"),
        "journey": (admin, f"/dashboards/journeys/{setup['journey']}/"),
        "explorer": (admin, f"/dashboards/explorer/?{filtered}"),
        "explorer_search": (admin, f"/dashboards/explorer/?from={month_ago}&q=instalacion"),
        "overview_store_manager": (manager, "/dashboards/"),
        "league": (admin, "/dashboards/league/"),
    }  # fmt: skip
    timings: dict[str, list[float]] = {}
    for name, (client, url) in pages.items():
        for _ in range(3):  # warm caches and connections
            _get(client, url)
        timings[name] = [_get(client, url) for _ in range(repeat)]
    return timings


def _get(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


if __name__ == "__main__":
    main()
