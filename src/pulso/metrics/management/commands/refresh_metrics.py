from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pulso.metrics.aggregates import process_pending_changes, rebuild_all
from pulso.metrics.search_index import index_missing_feedback


class Command(BaseCommand):
    help = "Bring the dashboards' aggregates up to date (--full rebuilds them from scratch)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="Rebuild every day.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = rebuild_all() if options["full"] else process_pending_changes()
        indexed = index_missing_feedback()
        self.stdout.write(
            f"Aggregates rebuilt for {days} day(s); {indexed} feedback item(s) indexed."
        )
