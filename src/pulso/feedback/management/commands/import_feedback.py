"""``pulso import_feedback FILE --source review``: load reviews, notes… from a CSV/XLSX file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from pulso.core.files import ImportFileError, read_table
from pulso.feedback.actions import do_import_feedback_rows
from pulso.feedback.importing import (
    FIELD_LABELS,
    detect_mapping,
    mapping_from_names,
    rejects_csv,
    rows_to_items,
)
from pulso.feedback.models import Feedback, ImportRun


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    """``["Comentario=text", ...]`` → ``{"Comentario": "text"}``."""
    mapping = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        if not sep or not column:
            raise CommandError(f"--mapping expects COLUMN=FIELD, got {pair!r}")
        mapping[column] = target.strip()
    return mapping


class Command(BaseCommand):
    help = "Import unsolicited feedback (reviews, social posts, notes…) from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source",
            choices=Feedback.Source.values,
            default=None,
            help="Source of every row (when the file has no source column).",
        )
        parser.add_argument("--source-name", default="", help="e.g. Google, Trustpilot")
        parser.add_argument(
            "--mapping",
            nargs="*",
            default=[],
            metavar="COLUMN=FIELD",
            help=f"Explicit columns; fields: {', '.join(FIELD_LABELS)}",
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate only, store nothing.")
        parser.add_argument("--report", type=Path, help="Write the rejected rows to this CSV.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            table = read_table(path.read_bytes(), path.name)
            mapping = detect_mapping(table.headers)
            mapping.update(mapping_from_names(table.headers, parse_pairs(options["mapping"])))
        except (OSError, ImportFileError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if "text" not in mapping:
            raise CommandError("No text column found: use --mapping COLUMN=text")
        defaults = {"source": options["source"], "source_name": options["source_name"]}
        items, rejects = rows_to_items(table, mapping, defaults)
        columns = ", ".join(f"{table.headers[i]}→{field}" for field, i in mapping.items())
        self.stdout.write(f"{len(table.rows)} rows ({table.encoding}); columns: {columns}")
        with tqdm(total=len(items), unit="rows", disable=None) as bar:
            run = do_import_feedback_rows(items, rejects=rejects, file_name=path.name,
                                          kind=ImportRun.Kind.CLI, dry_run=options["dry_run"],
                                          progress=bar.update)  # fmt: skip
        self._report(run, options)

    def _report(self, run: ImportRun, options: dict[str, Any]) -> None:
        prefix = "[dry run] " if options["dry_run"] else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}created {run.created}, updated {run.updated}, rejected {run.rejected}"
            )
        )
        for reject in run.rejects[:20]:
            reasons = "; ".join(f"{k}: {v}" for k, v in reject["errors"].items())
            self.stdout.write(f"  row {reject['index']}: {reasons}")
        if options["report"]:
            options["report"].write_text(rejects_csv(run.rejects), encoding="utf-8")
