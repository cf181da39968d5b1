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
        from pulso.wsgi import application

        return application


def default_workers() -> int:
    return min(2 * multiprocessing.cpu_count() + 1, 8)


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
