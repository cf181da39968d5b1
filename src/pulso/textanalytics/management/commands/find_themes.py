from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pulso.textanalytics import actions


class Command(BaseCommand):
    help = "Find emerging themes: uncovered negative comments and fast-growing topics."

    def handle(self, *args: Any, **options: Any) -> None:
        themes = actions.do_find_emerging_themes()
        for theme in themes:
            self.stdout.write(f"{theme.get_kind_display()}: {theme.label} ({theme.size})")
        self.stdout.write(f"{len(themes)} themes.")
