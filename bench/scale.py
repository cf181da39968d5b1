"""Benchmark: text-analysis throughput of one and of two ``pulso worker`` processes.

    .venv/bin/python bench/scale.py [--comments N] [--backend postgres|sqlite]

For each worker count, a fresh database (PostgreSQL ``pulso_bench_scale_<pid>_<hex>`` on
127.0.0.1:5432, dropped afterwards, or SQLite in a temporary data dir) gets N survey responses,
each with a distinct Spanish comment; the real ``pulso worker`` processes are started and left to
report alive, and then the responses are announced as the product does (``feedback.recorded``
events, one per 100 records, as API batches publish them). The workers turn the events into
tasks of up to 500 records and claim them with ``SELECT … FOR UPDATE SKIP LOCKED``; each task
runs every subscriber of the event (analysis, rules, metrics, search), as in production. The
clock stops when every comment has its analysis. The bench then checks that the tasks analysed
each comment exactly once in total (no record analysed by both workers) and prints wall time,
the workers' CPU seconds and how busy the whole machine was. Scheduled jobs are switched off in
the bench database so that only the pipeline runs. The last line printed is JSON with
``analyse_per_s_1_worker`` and ``analyse_per_s_2_workers``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
EVENT_SIZE = 100
ANALYSE = "pulso.textanalytics.subscribers.analyse_recorded"

_OPENINGS = [
    "El pedido llegó con {n} días de retraso",
    "La instalación del lavavajillas fue rápida y limpia",
    "El técnico fue muy amable y profesional",
    "Me cobraron {n} euros de más en el recibo",
    "Nadie contesta al teléfono de atención al cliente",
    "La app no funciona desde la última actualización",
    "La dependienta de la tienda nos atendió de maravilla",
    "El precio es caro para la calidad que ofrecen",
    "La caja llegó rota y el producto rayado",
    "Quiero darme de baja y no me dejan",
]
_DETAILS = [
    "y tuve que llamar {n} veces",
    "aunque el repartidor fue puntual",
    "la garantía cubrió la reparación sin problemas",
    "la tienda estaba sucia y desordenada",
    "el envío fue gratis y llegó en {n} horas",
    "el vendedor me asesoró con honestidad",
    "no había stock de la talla que buscaba",
    "la web es lenta y el pago falló",
    "volveré sin duda",
    "no pienso volver a comprar aquí",
]


def comments(count: int, seed: int = 2026) -> Iterator[str]:
    """Distinct comments of two to four clauses (no cache can serve a repeated text)."""
    rng = random.Random(seed)
    for i in range(count):
        parts = [rng.choice(_OPENINGS), *rng.sample(_DETAILS, rng.randint(1, 3))]
        yield (", ".join(parts) + f". Pedido {i}.").format(n=rng.randint(2, 9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--timeout", type=float, default=3600.0)
    args = parser.parse_args()
    results: dict[str, Any] = {"comments": args.comments, "backend": args.backend}
    for count in args.workers:
        figures = run_on_fresh_database(args.backend, count, args.comments, args.timeout)
        label = f"{count}_worker" + ("s" if count > 1 else "")
        results[f"analyse_per_s_{label}"] = figures["per_s"]
        results[f"cpu_s_{label}"] = figures["worker_cpu_s"]
        results[f"machine_busy_{label}"] = figures["machine_busy"]
    one, two = results.get("analyse_per_s_1_worker"), results.get("analyse_per_s_2_workers")
    if one and two:
        results["speedup_2_workers"] = round(two / one, 2)
        print(f"two workers: {two / one:.2f}× one (target ≥ 1.7×)")
    print(json.dumps(results))


def run_on_fresh_database(backend: str, count: int, total: int, timeout: float) -> dict[str, Any]:
    """Load ``total`` comments into a new database, analyse them with ``count`` workers.

    Each run has a database of its own: what the rules did in one (cases, notifications) must
    not spare the next one work.
    """
    env = _environment(backend)
    try:
        _manage(env, "load", str(total))
        print(f"{backend}: loaded {total} responses with comments")
        return run_workers(env, count, total, timeout)
    finally:
        if "DATABASE_URL" in env:
            database = env["DATABASE_URL"].rsplit("/", 1)[1]
            _admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def _environment(backend: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pulso.settings", "LOG_LEVEL": "ERROR",
           "PULSO_DATA_DIR": tempfile.mkdtemp(prefix="pulso-bench-scale-"),
           "PULSO_TASKS_BACKEND": "db", "PULSO_CACHE": "db",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}  # fmt: skip
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    if backend == "postgres":
        database = f"pulso_bench_scale_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        _admin_sql(f"CREATE DATABASE {database}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{database}"
    return env


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _manage(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run one step of this bench inside Django, in a child process; what it printed last."""
    command = [sys.executable, __file__, "--step", *args]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    lines = done.stdout.strip().splitlines()
    return dict(json.loads(lines[-1])) if lines else {}


def run_workers(env: dict[str, str], count: int, total: int, timeout: float) -> dict[str, Any]:
    """Start ``count`` workers, announce every comment, wait until all are analysed."""
    log = open(Path(env["PULSO_DATA_DIR"]) / f"workers-{count}.log", "ab")  # noqa: SIM115
    command = [sys.executable, "-m", "pulso", "worker", "--interval", "0.1"]
    workers = [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log) for _ in range(count)
    ]
    try:
        _manage(env, "wait_alive", str(count))
        # Start-up (imports, migrations check) is left out of the workers' CPU time.
        cpu0 = sum(_process_cpu_s(w.pid) for w in workers)
        machine0, wall0 = _machine_jiffies(), time.perf_counter()
        _manage(env, "announce")
        state = _manage(env, "wait_analysed", str(total), str(timeout))
        wall = time.perf_counter() - wall0
        busy = _busy_share(machine0, _machine_jiffies())
        cpu = sum(_process_cpu_s(w.pid) for w in workers) - cpu0
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)
        log.close()
    if state["analysed"] != total or state["analysed_by_tasks"] != total:
        raise SystemExit(f"{count} worker(s): {state} (expected each of {total} analysed once)")
    per_s = total / wall
    print(
        f"{count} worker(s): {total} comments in {wall:.1f} wall-s ({per_s:.0f}/s), "
        f"{cpu:.1f} CPU-s in the workers ({total / cpu:.0f}/CPU-s), {state['tasks']} tasks, "
        f"comments analysed per worker {state['per_worker']}, each once; machine {busy:.0%} busy"
    )
    return {"per_s": round(per_s, 1), "worker_cpu_s": round(cpu, 1), "machine_busy": busy}


def _process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a live process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of every core since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[1] - before[1]
    return round((after[0] - before[0]) / total, 2) if total else 0.0


# Steps run inside Django (python bench/scale.py --step NAME ...)


def step_load(count: str) -> None:
    """Migrate, build the demo company's structure, and load responses with comments."""
    from django.core.management import call_command
    from django.utils import timezone

    from pulso.core import scheduler
    from pulso.core.models import ScheduledJob

    call_command("migrate", verbosity=0)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from dashboards import _setup_company

    _load(_setup_company(), int(count))
    scheduler.ensure_jobs(timezone.now())
    ScheduledJob.objects.update(is_active=False)


def _load(setup: dict[str, Any], count: int) -> None:
    """The responses through the product's bulk path (as ``bench/dashboards.py`` loads them),
    each with its own comment."""
    from dashboards import _chunks
    from django.db import transaction

    from pulso.surveys.importers.fastwrite import ResponseWriter, roomy_cache

    writer, texts = ResponseWriter(), comments(count)
    with roomy_cache():
        for chunk in _chunks(setup, count):
            for row in chunk:
                row["comment"] = next(texts)
            with transaction.atomic():
                writer.write(chunk, {})


def step_wait_alive(count: str) -> None:
    from pulso.core.models import WorkerHeartbeat

    deadline = time.monotonic() + 120
    while WorkerHeartbeat.objects.count() < int(count):
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not start")
        time.sleep(0.2)


def step_announce() -> None:
    """``feedback.recorded`` for every comment, ``EVENT_SIZE`` records an event."""
    from django.db import transaction

    from pulso.feedback.events import publish_recorded
    from pulso.feedback.models import Feedback

    ids = list(Feedback.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(ids), EVENT_SIZE):
            publish_recorded(ids[start : start + EVENT_SIZE])


def step_wait_analysed(total: str, timeout: str) -> None:
    from django_tasks_db.models import DBTaskResult

    from pulso.textanalytics.models import TextAnalysis

    deadline = time.monotonic() + float(timeout)
    while TextAnalysis.objects.count() < int(total):
        if time.monotonic() > deadline:
            raise SystemExit(f"only {TextAnalysis.objects.count()} of {total} analysed")
        time.sleep(0.2)
    analysed = TextAnalysis.objects.count()
    recorded = DBTaskResult.objects.filter(
        task_path="pulso.core.tasks.run_subscribers", args_kwargs__args__0="feedback.recorded"
    )
    while recorded.filter(status__in=["READY", "RUNNING"]).exists():
        time.sleep(0.2)  # the last tasks write their results after their analyses
    done = recorded.filter(status="SUCCESSFUL").values_list("return_value", "worker_ids")
    by_tasks, per_worker = 0, Counter[str]()
    for result, worker_ids in done:
        analysed_here = result.get(ANALYSE) if isinstance(result, dict) else None
        if isinstance(analysed_here, int):
            by_tasks += analysed_here
            per_worker[worker_ids[-1]] += analysed_here
    print(json.dumps({"analysed": analysed, "analysed_by_tasks": by_tasks, "tasks": len(done),
                      "per_worker": sorted(per_worker.values())}))  # fmt: skip


if __name__ == "__main__":
    if "--step" in sys.argv:
        import django

        django.setup()
        name, *arguments = sys.argv[sys.argv.index("--step") + 1 :]
        globals()[f"step_{name}"](*arguments)
    else:
        main()
