from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pulso.textanalytics import actions, training


class Command(BaseCommand):
    help = (
        "Train the sentiment model of each language from rated comments; a new model replaces "
        "the active one only when it validates better on held-out comments."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--language", action="append", help="Only these languages (es, en).")
        parser.add_argument(
            "--no-rescore", action="store_true", help="Do not re-score stored comments."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        versions = actions.do_retrain_sentiment(
            languages=options["language"], rescore=not options["no_rescore"]
        )
        if not versions:
            self.stdout.write(
                f"No language has {training.min_rated()} rated comments: cold start stays active."
            )
        for v in versions:
            accuracy = "—" if v.accuracy is None else f"{v.accuracy:.1%}"
            macro_f1 = "—" if v.macro_f1 is None else f"{v.macro_f1:.3f}"
            self.stdout.write(
                f"{v.language}: {v.status} (n={v.n_training}, accuracy {accuracy}, "
                f"macro-F1 {macro_f1}) {v.message}".rstrip()
            )
