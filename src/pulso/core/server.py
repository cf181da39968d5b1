"""The production web server: gunicorn with threaded workers, configured in code."""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from django.conf import settings
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


def use_served_base_url(host: str, port: int) -> None:
    """Links in QR codes and emails point at this server unless PULSO_BASE_URL says otherwise."""
    if os.environ.get("PULSO_BASE_URL"):
        return
    public_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    base_url = f"http://{public_host}:{port}"
    os.environ["PULSO_BASE_URL"] = base_url
    settings.PULSO_BASE_URL = base_url


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
