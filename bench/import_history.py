"""Survey-history import benchmark: a Qualtrics CSV export of ``--rows`` responses (NPS, CSAT and
an open comment on a third of them) imported through the CLI, ``pulso import_survey_history``.

For each database (SQLite in a fresh data dir, then a fresh PostgreSQL database
``pulso_bench_import_<pid>`` at 127.0.0.1:5432, user postgres) a child process migrates and
creates a published survey; then the CLI runs in its own process, timed from start to exit
(reading, checking, storing, committing), and its peak resident memory is read from
``getrusage``, with its CPU time (user + system). On PostgreSQL the server's own work is
measured apart: the CPU time of the backends serving the benchmark's database, read from
``/proc`` while they live (the server must run on this machine; the last fifth of a second
of a backend's life can be missed). The import may read ahead in a child process: CPU time
and memory are those of the whole process tree (memory: the peak of the processes' summed
proportional set size, shared pages counted once; the summed resident sets, which count
them twice, are printed too). The machine's load average is printed before and after
each run: on a shared machine wall time says little, CPU time per row says more.
The last line printed is one JSON object with ``rows_per_s_sqlite``, ``rows_per_s_postgres``
and ``peak_mb`` (the larger of the two runs' peaks), with seconds, CPU seconds and load.

    .venv/bin/python bench/import_history.py [--rows 1000000] [--only sqlite|postgres]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
COMMENTS = [
    "La atención fue excelente", "Tuve que esperar demasiado en caja", "Precios algo altos",
    "Muy buena experiencia, volveré", "El producto llegó roto", "Personal muy amable",
]  # fmt: skip
# Runs the import and polls its process tree (the import and the child reading ahead):
# /proc/<pid>/schedstat of each (ns on a core, ns waiting for one), the tree's summed resident
# memory every 50 ms (statm) and its summed proportional memory (smaps_rollup's Pss: a page
# the processes share counted once) every 0.25 s; the tree's members are found by scanning
# /proc every 0.25 s. Prints on stderr: largest single peak RSS (KiB, getrusage), CPU s of the
# whole tree (getrusage of the waited-for descendants), on-core s, run-queue s, and the
# peaks of the summed RSS and Pss (KiB).
WRAPPER = """
import os, resource, subprocess, sys, time
child = subprocess.Popen(sys.argv[1:])
page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
sched, tree, peak_rss, peak_pss, polls = {}, {child.pid}, 0, 0, 0
def parent_of(pid):
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])
def pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        return sum(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
while child.poll() is None:
    if polls % 5 == 0:
        for name in os.listdir("/proc"):
            if name.isdigit() and int(name) not in tree:
                try:
                    if parent_of(int(name)) in tree:
                        tree.add(int(name))
                except (OSError, ValueError, IndexError):
                    pass
    rss = pss = 0
    for pid in list(tree):
        try:
            with open(f"/proc/{pid}/schedstat") as stat:
                sched[pid] = [int(v) for v in stat.read().split()[:2]]
            with open(f"/proc/{pid}/statm") as statm:
                rss += int(statm.read().split()[1]) * page_kib
            if polls % 5 == 0:
                pss += pss_kib(pid)
        except (OSError, ValueError):
            if pid != child.pid:
                tree.discard(pid)
    peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
    polls += 1
    time.sleep(0.05)
use = resource.getrusage(resource.RUSAGE_CHILDREN)
on_core = sum(v[0] for v in sched.values()) / 1e9
queued = sum(v[1] for v in sched.values()) / 1e9
print(use.ru_maxrss, use.ru_utime + use.ru_stime, on_core, queued, peak_rss, peak_pss,
      file=sys.stderr)
sys.exit(child.returncode)
"""


def write_export(path: Path, rows: int) -> None:
    """A Qualtrics export: ids row, question-text row, ImportId row, then the responses."""
    rng = random.Random(14)
    names = ["StartDate", "EndDate", "Status", "Progress", "Finished", "RecordedDate",
             "ResponseId", "DistributionChannel", "UserLanguage", "Q1", "Q2", "Q3"]  # fmt: skip
    texts = [*names[:9], "¿Nos recomendarías?", "¿Satisfacción?", "¿Algo más?"]
    ids = [json.dumps({"ImportId": n, "timeZone": "Europe/Madrid"}) for n in names]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerows([names, texts, ids])
        for n in range(rows):
            day = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d} {8 + n % 12:02d}:{n % 60:02d}:00"
            comment = rng.choice(COMMENTS) if n % 3 == 0 else ""
            out.writerow([day, day, 0, 100, 1, day, f"R_{n:012d}", "email", "ES",
                          rng.randint(0, 10), rng.randint(1, 5), comment])  # fmt: skip


def setup_database() -> int:
    """Migrate and create the published survey (in a child process); returns its id."""
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from pulso.demo import journeys, org
    from pulso.journeys.models import Touchpoint
    from pulso.surveys.actions import do_create_survey, do_publish_survey

    rng = random.Random(7)
    org.build(rng, lambda label, total: lambda n: None)
    journeys.build(rng, lambda label, total: lambda n: None)
    questions = [
        {"key": "nps", "kind": "nps", "text_es": "¿Nos recomendarías?", "required": True},
        {"key": "csat", "kind": "csat", "text_es": "¿Satisfacción?"},
        {"key": "comentario", "kind": "text", "text_es": "¿Algo más?"},
    ]
    survey = do_create_survey("Histórico", Touchpoint.objects.first(), questions=questions)  # type: ignore[arg-type]
    do_publish_survey(survey)
    return survey.pk


class ServerCPU(threading.Thread):
    """CPU seconds of the PostgreSQL backends connected to ``database``, polled from ``/proc``."""

    def __init__(self, database: str) -> None:
        super().__init__(daemon=True)
        self.database, self.seen, self.done = database, dict[int, float](), threading.Event()
        self.queued = dict[int, float]()  # seconds each backend waited for a core

    def run(self) -> None:
        import psycopg

        tick = os.sysconf("SC_CLK_TCK")
        with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
            while not self.done.wait(0.2):
                query = "SELECT pid FROM pg_stat_activity WHERE datname = %s"
                for (pid,) in connection.execute(query, [self.database]).fetchall():
                    try:
                        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                        sched = Path(f"/proc/{pid}/schedstat").read_text().split()
                    except OSError:
                        continue  # ended between the query and the read
                    self.seen[pid] = (int(fields[11]) + int(fields[12])) / tick
                    self.queued[pid] = int(sched[1]) / 1e9

    def seconds(self) -> float:
        self.done.set()
        self.join()
        return sum(self.seen.values())


def run_backend(backend: str, export: Path, mapping: Path, rows: int) -> dict[str, Any]:
    env = dict(os.environ, PULSO_DATA_DIR=tempfile.mkdtemp(prefix="pulso-bench-import-"))
    env["DJANGO_SETTINGS_MODULE"] = "pulso.settings"
    database = f"pulso_bench_import_{os.getpid()}"
    if backend == "postgres":
        _admin_sql(f"CREATE DATABASE {database}")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    else:
        env.pop("DATABASE_URL", None)
    try:
        setup = [sys.executable, __file__, "--setup"]
        survey = subprocess.run(setup, env=env, check=True, capture_output=True, text=True)
        pulso = str(Path(sys.executable).with_name("pulso"))
        command = [sys.executable, "-c", WRAPPER, pulso, "import_survey_history", "--survey",
                   survey.stdout.strip().splitlines()[-1], "--format", "qualtrics",
                   "--mapping", str(mapping), str(export)]  # fmt: skip
        load_before = os.getloadavg()[0]
        server = ServerCPU(database) if backend == "postgres" else None
        if server:
            server.start()
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        server_cpu = server.seconds() if server else 0.0
        server_queued = sum(server.queued.values()) if server else 0.0
        load = (round(load_before, 1), round(os.getloadavg()[0], 1))
        if done.returncode:
            raise SystemExit(done.stdout + done.stderr)
        measured = done.stderr.strip().splitlines()[-1].split()
        peak, cpu, on_core, queued, rss_sum, pss_sum = measured
        cpu_s, queued_s = float(cpu), float(queued)
        # The whole tree's memory: its summed Pss (shared pages counted once), or the
        # largest single process's exact peak where the 0.25 s samples missed more.
        peak_kb = max(int(peak), int(pss_sum))
        # What the wall time is made of: on a core, waiting for a free core (other processes
        # on the machine), and the rest: waiting on the disk or on the database server.
        blocked_s = max(0.0, seconds - float(on_core) - queued_s)
        summary = [line for line in done.stdout.splitlines() if line.startswith(str(rows))]
        print(f"[{backend}] {summary[-1] if summary else done.stdout[-300:]}")
        print(
            f"[{backend}] {rows} rows in {seconds:.1f}s ({cpu_s:.1f} CPU s of the import's"
            f" processes, {rows / cpu_s:,.0f} rows per CPU second), peak {peak_kb / 1024:.0f} MB"
            f" (summed RSS {int(rss_sum) / 1024:.0f} MB, largest process {int(peak) / 1024:.0f}"
            f" MB), load average {load[0]} → {load[1]}"
        )
        print(
            f"[{backend}] wall time: {float(on_core):.1f}s on a core, {queued_s:.1f}s waiting"
            f" for a core, {blocked_s:.1f}s waiting on I/O or the server"
        )
        if server_cpu:
            both = rows / (cpu_s + server_cpu)
            print(
                f"[{backend}] server: {server_cpu:.1f} CPU s ({rows / server_cpu:,.0f} rows per"
                f" CPU second, {server_queued:.1f}s waiting for a core);"
                f" import and server {both:,.0f} rows per CPU second"
            )
        return {"rows_per_s": rows / seconds, "peak_mb": peak_kb / 1024, "seconds": seconds,
                "rss_sum_mb": int(rss_sum) / 1024,
                "cpu_seconds": cpu_s, "server_cpu_seconds": server_cpu, "load": load,
                "queued_seconds": queued_s, "blocked_seconds": blocked_s}  # fmt: skip
    finally:
        if backend == "postgres":
            _admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(env["PULSO_DATA_DIR"], ignore_errors=True)


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(setup_database())
        return
    work = Path(tempfile.mkdtemp(prefix="pulso-bench-export-"))
    try:
        export, mapping = work / "qualtrics_export.csv", work / "mapping.json"
        write_export(export, args.rows)
        mapping.write_text(json.dumps({"Q1": "nps", "Q2": "csat", "Q3": "comentario"}))
        print(f"export: {args.rows} rows, {export.stat().st_size / 1e6:.0f} MB")
        results: dict[str, Any] = {"rows": args.rows}
        peaks, rss_sums = [], []
        for backend in [args.only] if args.only else ["sqlite", "postgres"]:
            measured = run_backend(backend, export, mapping, args.rows)
            results[f"rows_per_s_{backend}"] = round(measured["rows_per_s"])
            results[f"seconds_{backend}"] = round(measured["seconds"], 1)
            results[f"cpu_seconds_{backend}"] = round(measured["cpu_seconds"], 1)
            if backend == "postgres":
                results["server_cpu_seconds_postgres"] = round(measured["server_cpu_seconds"], 1)
            results[f"queued_seconds_{backend}"] = round(measured["queued_seconds"], 1)
            results[f"blocked_seconds_{backend}"] = round(measured["blocked_seconds"], 1)
            results[f"load_{backend}"] = measured["load"]
            peaks.append(measured["peak_mb"])
            rss_sums.append(measured["rss_sum_mb"])
        results["peak_mb"] = round(max(peaks))
        results["peak_rss_sum_mb"] = round(max(rss_sums))
        print(json.dumps(results))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
