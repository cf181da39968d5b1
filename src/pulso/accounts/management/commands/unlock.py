from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pulso.accounts.actions import do_unlock_login


class Command(BaseCommand):
    help = "Unlock an account locked after repeated failed logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--ip", help="Also unlock this client address.")

    def handle(self, *args: Any, **options: Any) -> None:
        cleared = do_unlock_login(options["username"], address=options["ip"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Unlocked {options['username']} ({cleared} failed attempts cleared)"
            )
        )
