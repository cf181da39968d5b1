"""Real ``pulso serve`` and ``pulso worker`` processes for tests: a database of their own
(a SQLite file, or a fresh PostgreSQL database when the suite runs on PostgreSQL), a survey to
post to, and helpers to start, wait for and SIGKILL them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

SETUP = """
import json
from pulso.accounts.models import OrgUnit
from pulso.journeys.models import Journey, Stage, Touchpoint
from pulso.surveys.actions import do_create_survey, do_publish_survey
company = OrgUnit.objects.create(name="Acme", code="acme", kind="company")
store = OrgUnit.objects.create(name="Tienda", code="tienda", kind="store", parent=company)
journey = Journey.objects.create(name="Compra", slug="compra")
stage = Stage.objects.create(journey=journey, name="Pago")
touchpoint = Touchpoint.objects.create(stage=stage, name="Caja", channel="store", owner_unit=store)
questions = [
    {"key": "nps", "kind": "nps", "text_es": "¿Nos recomendarías?", "required": True},
    {"key": "comment", "kind": "text", "text_es": "¿Por qué?", "required": False},
]
survey = do_create_survey("Caja", touchpoint, org_unit=store, template="blank", questions=questions)
do_publish_survey(survey)
survey.refresh_from_db()
print("SETUP" + json.dumps({"token": survey.public_token}))
"""


@pytest.fixture
def server_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment of the server's and worker's processes; a database of their own."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pulso.settings",
        "PULSO_DATA_DIR": str(tmp_path / "data"),
        "PULSO_TASKS_BACKEND": "db",
        "PULSO_CACHE": "db",
        "LOG_LEVEL": "ERROR",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for name in ["ALLOWED_HOSTS", "SECRET_KEY", "PULSO_BASE_URL", "REDIS_URL"]:
        env.pop(name, None)
    with database_of_their_own(env, "pulso_killed"):
        yield env


@contextmanager
def database_of_their_own(env: dict[str, str], prefix: str) -> Iterator[None]:
    """Point ``env`` at a fresh database for processes started by a test: a new PostgreSQL
    database (dropped afterwards) when the tests run on PostgreSQL, else the SQLite file of
    ``env``'s data folder."""
    if connection.vendor != "postgresql":
        env.pop("DATABASE_URL", None)
        yield
        return
    with postgres_database(env, prefix, os.environ["DATABASE_URL"].rsplit("/", 1)[0]):
        yield


@contextmanager
def postgres_database(env: dict[str, str], prefix: str, server: str) -> Iterator[None]:
    """Point ``env`` at a new database on the PostgreSQL ``server`` (a URL without the
    database name), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    env["DATABASE_URL"] = f"{server}/{name}"
    try:
        yield
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def pulso(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pulso", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """A ``pulso`` process in a session of its own (SIGKILL reaches its children too)."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "pulso", *args],
            env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True,
        )  # fmt: skip


def kill(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, server: subprocess.Popen[bytes], seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not start on port {port}")


def live_survey(env: dict[str, str]) -> str:
    """Create a company, a touchpoint and a live one-page NPS survey; its public token."""
    return str(json.loads(pulso(env, "shell", "-c", SETUP).split("SETUP", 1)[1])["token"])
