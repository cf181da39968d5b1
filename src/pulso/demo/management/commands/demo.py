from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from pulso import demo
from pulso.accounts.actions import do_create_admin
from pulso.core.server import (
    ANY_ADDRESS,
    allow_hosts,
    machine_hosts,
    run_server,
    use_served_base_url,
)


class Command(BaseCommand):
    help = "Create the database, load the demo company, create an admin and start Pulso."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Do everything but serving.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--username", default="admin")
        parser.add_argument("--seed", type=int, default=demo.SEED)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        self.stdout.write("Creating or updating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        if demo.is_loaded():
            self.stdout.write("Demo data already loaded; keeping it.")
        else:
            demo.build_demo(self._progress, seed=options["seed"])
        password = self._admin(options["username"])
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS("Pulso is ready."))
        self.stdout.write(f"  URL:      {url}")
        self.stdout.write(f"  User:     {options['username']}")
        if password:
            self.stdout.write(f"  Password: {password}")
        else:
            self.stdout.write("  Password: unchanged (the one printed when it was created)")
            self.stdout.write(
                f"  To set a new one: pulso createadmin --username {options['username']}"
            )
        if not options["no_serve"]:
            self._serve(options["host"], options["port"])

    def _admin(self, username: str) -> str:
        """Create the administrator with a new password (returned); an existing one keeps
        theirs ("" returned): a second run must not lock anyone out."""
        if get_user_model().objects.filter(username=username).exists():
            return ""
        password = secrets.token_urlsafe(12)
        do_create_admin(username, "admin@electrohogar.example", password)
        return password

    def _progress(self, label: str, total: int) -> Callable[[int], None]:
        bar = tqdm(total=total, desc=label, unit="", leave=True, file=sys.stderr)

        def tick(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return tick

    def _serve(self, host: str, port: int) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        if "ALLOWED_HOSTS" not in os.environ:  # the demo answers to this machine's names
            allow_hosts(machine_hosts() if host in ANY_ADDRESS else [host])
        use_served_base_url(host, port)
        # `pulso worker` in a process of its own, with these settings.
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        worker = subprocess.Popen([sys.executable, "-m", "django", "worker"], env=env)
        time.sleep(0.2)
        try:
            run_server(host, port, workers=2, threads=4)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
