from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from pulso.core.server import default_threads, default_workers, run_server


class Command(BaseCommand):
    help = "Run Pulso's production web server (gunicorn, threaded workers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=None, help="default: by database and CPU cores"
        )
        parser.add_argument("--threads", type=int, default=None, help="default: 4")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Pulso is serving at {url}"))
        workers = options["workers"] or default_workers()
        threads = options["threads"] or default_threads()
        run_server(options["host"], options["port"], workers, threads)
