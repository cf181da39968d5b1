"""``pulso import_survey_history --format qualtrics --survey 3 FILE``: past survey responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pulso.core.files import ImportFileError
from pulso.feedback.importing import rejects_csv
from pulso.feedback.management.commands.import_feedback import parse_pairs
from pulso.surveys.actions import SurveyNotPublished
from pulso.surveys.importers.history import (
    PARSERS,
    describe_mapping,
    do_import_survey_history,
    effective_mapping,
    read_export,
)
from pulso.surveys.models import Survey


class Command(BaseCommand):
    help = "Import historical responses from a Qualtrics or LimeSurvey CSV export into a survey."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=sorted(PARSERS))
        parser.add_argument("--survey", required=True, type=int, help="Pulso survey id")
        parser.add_argument(
            "--mapping", nargs="*", default=[], metavar="COLUMN=KEY",
            help="Export question code (or heading) → Pulso question key; KEY empty to ignore.",
        )  # fmt: skip
        parser.add_argument(
            "--skip-incomplete",
            action="store_true",
            help="Skip unfinished responses instead of importing them as partial.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate only, store nothing.")
        parser.add_argument("--report", type=Path, help="Write the rejected rows to this CSV.")

    def handle(self, *args: Any, **options: Any) -> None:
        survey = Survey.objects.filter(pk=options["survey"]).first()
        if survey is None:
            raise CommandError(f"No survey with id {options['survey']}")
        path: Path = options["file"]
        mapping = parse_pairs(options["mapping"])
        try:
            data = path.read_bytes()
            export = read_export(options["format"], data, path.name)
            self.stdout.write(
                f"Columns: {describe_mapping(effective_mapping(export, survey, mapping))}"
            )
            run = do_import_survey_history(
                survey, data, fmt=options["format"], mapping=mapping, file_name=path.name,
                skip_incomplete=options["skip_incomplete"], dry_run=options["dry_run"],
            )  # fmt: skip
        except (OSError, ImportFileError, SurveyNotPublished) as exc:
            raise CommandError(str(exc)) from exc
        prefix = "[dry run] " if options["dry_run"] else ""
        summary = f"created {run.created}, skipped {run.skipped}, rejected {run.rejected}"
        self.stdout.write(self.style.SUCCESS(f"{prefix}{run.total} rows: {summary}"))
        for reject in run.rejects[:20]:
            reasons = "; ".join(f"{k}: {v}" for k, v in reject["errors"].items())
            self.stdout.write(f"  row {reject['index']}: {reasons}")
        if options["report"]:
            options["report"].write_text(rejects_csv(run.rejects), encoding="utf-8")
