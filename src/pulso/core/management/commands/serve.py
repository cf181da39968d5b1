from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pulso.core.server import (
    configuration_problems,
    default_threads,
    default_workers,
    pending_migrations,
    run_server,
)


class Command(BaseCommand):
    help = "Run Pulso's production web server (gunicorn, threaded workers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=None, help="default: by database and CPU cores"
        )
        parser.add_argument("--threads", type=int, default=None, help="default: 4")
        parser.add_argument(
            "--migrate", action="store_true", help="apply pending database migrations first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = configuration_problems()
        if problems:
            raise CommandError(
                "Pulso will not serve with this configuration:\n- " + "\n- ".join(problems)
            )
        self._check_schema(options["migrate"])
        call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Pulso is serving at {url}"))
        workers = options["workers"] or default_workers()
        threads = options["threads"] or default_threads()
        run_server(options["host"], options["port"], workers, threads)

    def _check_schema(self, migrate: bool) -> None:
        pending = pending_migrations()
        if pending and not migrate:
            raise CommandError(
                f"The database is missing {len(pending)} migration(s) (first: {pending[0]}). "
                "Run 'pulso migrate' first, or start with 'pulso serve --migrate'."
            )
        if pending:
            self.stdout.write(f"Applying {len(pending)} migration(s)…")
            call_command("migrate", interactive=False, verbosity=0)
        else:  # the shared cache's table, for a database migrated before it existed
            call_command("createcachetable", verbosity=0)
