"""``pulso import_survey_history --survey ID [--format auto|…] [--mapping FILE]
[--date-order dmy|mdy|ymd] [--dry-run] FILE``: past responses from any survey tool's export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from pulso.core.dates import DATE_ORDERS
from pulso.core.files import ImportFileError
from pulso.core.mapping import MappingError, load_mapping_file
from pulso.feedback.importing import rejects_csv
from pulso.surveys.actions import SurveyNotPublished
from pulso.surveys.importers.history import (
    FORMAT_CHOICES,
    do_import_survey_history,
    prepare,
    preview,
)
from pulso.surveys.models import Survey


class Command(BaseCommand):
    help = (
        "Import past responses from a survey tool's export (Qualtrics, LimeSurvey, SurveyMonkey, "
        "Google Forms, Typeform, Microsoft Forms or any CSV/XLSX with a mapping file)."
    )

    # The checks import every view and its libraries (charts, models, about 170 MB): an
    # import needs none of them (``pulso check`` runs them).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--survey", required=True, type=int, help="Pulso survey id")
        parser.add_argument(
            "--format", default="auto", choices=[fmt for fmt, _label in FORMAT_CHOICES]
        )
        parser.add_argument(
            "--mapping", type=Path, help="YAML or JSON file: column → question key or role."
        )
        parser.add_argument(
            "--date-order", choices=DATE_ORDERS, default="", help="Order of day, month, year."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only, store nothing.")
        parser.add_argument("--skip-incomplete", action="store_true")
        parser.add_argument("--report", type=Path, help="Write the rejected rows to this CSV.")

    def handle(self, *args: Any, **options: Any) -> None:
        survey = Survey.objects.filter(pk=options["survey"]).first()
        if survey is None:
            raise CommandError(_("No survey with id %(id)s") % {"id": options["survey"]})
        path: Path = options["file"]
        settings = {
            "fmt": options["format"], "date_order": options["date_order"],
            "file_name": path.name, "skip_incomplete": options["skip_incomplete"],
        }  # fmt: skip
        try:
            mapping = load_mapping_file(options["mapping"]) if options["mapping"] else None
            plan, data = prepare(survey, path, mapping=mapping, **settings)
            self._describe(plan, preview(plan, data, 3) if options["dry_run"] else [])
            with tqdm(unit=" rows", file=sys.stderr, disable=None) as bar:
                run = do_import_survey_history(
                    survey, path, mapping=mapping, dry_run=options["dry_run"],
                    progress=bar.update, read_ahead=True, **settings,
                )  # fmt: skip
        except (OSError, ImportFileError, MappingError, SurveyNotPublished) as exc:
            raise CommandError(str(exc)) from exc
        self._report(run, options)

    def _describe(self, plan: Any, rows: list[Any]) -> None:
        self.stdout.write(_("Format: %(tool)s") % {"tool": plan.layout.tool})
        for header, target in plan.describe():
            self.stdout.write(f"  {header} → {target}")
        for row in rows:
            values = ", ".join(f"{k}={v!r}" for k, v in row.values) or row.errors
            self.stdout.write(f"  [{row.number}] {row.external_id} {row.submitted_at} {values}")

    def _report(self, run: Any, options: dict[str, Any]) -> None:
        prefix = _("[dry run] ") if options["dry_run"] else ""
        summary = _(
            "%(total)s rows: created %(created)s, skipped %(skipped)s, rejected %(rejected)s"
        ) % {
            "total": run.total, "created": run.created, "skipped": run.skipped,
            "rejected": run.rejected,
        }  # fmt: skip
        self.stdout.write(self.style.SUCCESS(prefix + summary))
        if run.pk:
            self.stdout.write(_("Import %(id)s (undo: pulso import_undo %(id)s)") % {"id": run.pk})
        for reject in run.rejects[:20]:
            reasons = "; ".join(f"{k}: {v}" for k, v in reject["errors"].items())
            self.stdout.write(
                _("  row %(row)s: %(reasons)s") % {"row": reject["index"], "reasons": reasons}
            )
        if options["report"]:
            options["report"].write_text(rejects_csv(run.rejects), encoding="utf-8")
