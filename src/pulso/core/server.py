"""The production web server: gunicorn with threaded workers, configured in code, and the
checks it passes before it starts (hosts, secret key, database schema)."""

from __future__ import annotations

import multiprocessing
import os
import socket
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from gunicorn.app.base import BaseApplication


class PulsoServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Any:
        # The application settings.WSGI_APPLICATION names, as `runserver` loads it.
        from django.core.servers.basehttp import get_internal_wsgi_application

        return get_internal_wsgi_application()


def _vendor() -> str:
    from django.conf import settings

    engine = str(settings.DATABASES["default"]["ENGINE"])
    return "sqlite" if engine.endswith("sqlite3") else "postgresql"


def default_workers(vendor: str | None = None) -> int:
    """Worker processes for the database in use (``vendor``: "sqlite" or "postgresql").

    PostgreSQL: one per core plus one, so a core never idles while a worker waits on the
    database. SQLite takes one writer at a time: processes beyond the cores only queue on its
    lock (measured: no gain from 2 to 3 workers on 2 cores), so one per core.
    """
    cores = multiprocessing.cpu_count()
    if (vendor or _vendor()) == "sqlite":
        return max(1, min(cores, 4))
    return min(cores + 1, 9)


def default_threads() -> int:
    """Threads per worker: a few, to overlap database round trips (the GIL caps more)."""
    return 4


ANY_ADDRESS = {"0.0.0.0", "::", ""}


def use_served_base_url(host: str, port: int) -> None:
    """Links in QR codes and emails point at this server unless PULSO_BASE_URL says otherwise;
    the server then answers to that address too (unless ALLOWED_HOSTS says)."""
    if os.environ.get("PULSO_BASE_URL"):
        return
    public_host = "127.0.0.1" if host in ANY_ADDRESS else host
    base_url = f"http://{public_host}:{port}"
    os.environ["PULSO_BASE_URL"] = base_url
    settings.PULSO_BASE_URL = base_url
    if "ALLOWED_HOSTS" not in os.environ:
        allow_hosts([urlsplit(base_url).netloc.rsplit(":", 1)[0]])


def allow_hosts(hosts: list[str]) -> None:
    """Add ``hosts`` to the hosts this process answers (settings.ALLOWED_HOSTS)."""
    settings.ALLOWED_HOSTS = list(dict.fromkeys([*settings.ALLOWED_HOSTS, *hosts]))


def machine_hosts() -> list[str]:
    """This machine's names and addresses: what a browser on the network may call it."""
    names = {socket.gethostname(), socket.getfqdn()}
    try:
        names.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return sorted(name for name in names if name)


def weak_secret_key(key: str) -> bool:
    """The same test as Django's deployment check (security.W009)."""
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


def configuration_problems() -> list[str]:
    """Why this configuration must not serve, one sentence each (empty: it may)."""
    problems = []
    if "*" in settings.ALLOWED_HOSTS and not settings.PULSO_ALLOW_ANY_HOST:
        problems.append(
            "ALLOWED_HOSTS is '*': any Host header would be accepted. List the server's "
            "names (ALLOWED_HOSTS=cx.example.com), or set PULSO_ALLOW_ANY_HOST=true if a proxy "
            "in front of Pulso already checks them."
        )
    if weak_secret_key(settings.SECRET_KEY):
        problems.append(
            f"SECRET_KEY is weak: use {SECRET_KEY_MIN_LENGTH} or more random characters "
            "(or unset it to let Pulso generate one into PULSO_DATA_DIR)."
        )
    return problems


def pending_migrations(database: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations not yet applied to ``database`` ("app.name")."""
    connection = connections[database]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(targets)]


def run_server(host: str, port: int, workers: int, threads: int) -> None:
    use_served_base_url(host, port)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }
    PulsoServer(options).run()
