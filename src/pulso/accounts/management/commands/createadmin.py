from __future__ import annotations

import getpass
import secrets
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pulso.accounts.actions import do_create_admin


class Command(BaseCommand):
    help = "Create an administrator, or reset the password of an existing one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help="Password to set. Without it, asks for one on a terminal or generates one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        generated = False
        password = options["password"] or self._ask_password()
        if not password:
            password, generated = secrets.token_urlsafe(12), True
        if len(password) < 8:
            raise CommandError("The password must have at least 8 characters.")
        do_create_admin(options["username"], options["email"], password)
        self.stdout.write(self.style.SUCCESS(f"Administrator: {options['username']}"))
        if generated:
            self.stdout.write(f"Password: {password}")

    def _ask_password(self) -> str:
        if sys.stdin.isatty():
            first = getpass.getpass("Password (empty to generate one): ")
            if first and first != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
            return first
        return ""
