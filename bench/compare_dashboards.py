"""Paired timing of the dashboard pages between two checkouts of Pulso, each on its own database.

    .venv/bin/python bench/compare_dashboards.py BEFORE_SRC BEFORE_DB AFTER_SRC AFTER_DB
        [--rounds 20] [--pages overview,journey,...]

``*_SRC`` is a checkout's ``src`` folder (for example a ``git archive`` copy); ``*_DB`` is the
database that ``BENCH_KEEP_DB=1 bench/dashboards.py --backend …`` of that checkout kept: a
SQLite data folder or a ``postgres://`` URL. Two long-lived server processes are started, one
per checkout, each signed in as the bench's administrator and store manager. For every page,
after three warm-up requests to each, the requests alternate between them (before, after;
then after, before; …) so both meet the same load on the machine, and the figure kept per page
is the median of the ``after − before`` differences of the pairs. Timings are server time in
process (Django's test client), as in ``bench/dashboards.py``; only pages both versions have
are timed.

The last line printed is one JSON object: per page ``<page>_before_p50_ms``,
``<page>_after_p50_ms`` and ``<page>_paired_diff_ms``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from dashboards import dashboard_pages

PAGES = ("overview", "journey", "explorer", "explorer_search", "overview_store_manager", "league")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        _serve(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("before_src", "before_db", "after_src", "after_db"):
        parser.add_argument(name)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    servers = [_start(args.before_src, args.before_db), _start(args.after_src, args.after_db)]
    result: dict[str, Any] = {"rounds": args.rounds}
    try:
        for page in args.pages.split(","):
            before, after = _paired(servers, page, args.rounds)
            difference = statistics.median(b - a for a, b in zip(before, after, strict=True))
            before_p50, after_p50 = statistics.median(before), statistics.median(after)
            print(f"{page:24s} before p50 {before_p50:7.1f} ms  after p50 {after_p50:7.1f} ms  "
                  f"paired difference {difference:+6.1f} ms")  # fmt: skip
            result[f"{page}_before_p50_ms"] = round(before_p50, 1)
            result[f"{page}_after_p50_ms"] = round(after_p50, 1)
            result[f"{page}_paired_diff_ms"] = round(difference, 1)
    finally:
        for server in servers:
            if server.stdin:
                server.stdin.close()
            server.wait()
    print(json.dumps(result))


def _start(src: str, database: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(src))
    server = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--serve", os.path.abspath(src), database],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd="/",  # so that neither checkout's files shadow the other's
    )
    if server.stdout is None or server.stdout.readline().strip() != "ready":
        raise SystemExit(f"the server of {src} did not start")
    return server


def _ask(server: subprocess.Popen[str], page: str) -> float:
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(page + "\n")
    server.stdin.flush()
    answer = server.stdout.readline().strip()
    try:
        return float(answer)
    except ValueError:
        raise SystemExit(f"{page}: {answer or 'the server stopped'}") from None


def _paired(
    servers: list[subprocess.Popen[str]], page: str, rounds: int
) -> tuple[list[float], list[float]]:
    for _ in range(3):
        for server in servers:
            _ask(server, page)
    timings: tuple[list[float], list[float]] = ([], [])
    for round_number in range(rounds):
        order = (0, 1) if round_number % 2 == 0 else (1, 0)
        for which in order:
            timings[which].append(_ask(servers[which], page))
    return timings


def _serve(src: str, database: str) -> None:
    """One checkout's server: reads page names on stdin, answers each with its time in ms."""
    sys.path.insert(0, src)
    os.environ["ALLOWED_HOSTS"] = "*"
    os.environ["DJANGO_SETTINGS_MODULE"] = "pulso.settings"
    if database.startswith("postgres"):
        os.environ["DATABASE_URL"] = database
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["PULSO_DATA_DIR"] = database
    import gc

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from pulso.accounts.models import OrgUnit
    from pulso.journeys.models import Touchpoint

    users = get_user_model().objects
    admin, manager = Client(), Client()
    admin.force_login(users.get(username="bench-admin"))
    manager.force_login(users.get(username="bench-manager"))
    moment = Touchpoint.objects.filter(is_moment_of_truth=True).select_related("stage__journey")
    journey = moment.first().stage.journey.slug  # type: ignore[union-attr]
    store = OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE).first()
    pages = dashboard_pages(admin, manager, journey, store.code)  # type: ignore[union-attr]
    gc.collect()  # the setup's garbage, not the first page's
    print("ready", flush=True)
    for line in sys.stdin:
        client, url = pages[line.strip()]
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        print(elapsed if response.status_code == 200 else f"{url} answered {response.status_code}",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
