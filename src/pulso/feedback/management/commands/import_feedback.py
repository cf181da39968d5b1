"""``pulso import_feedback FILE --source review``: load reviews, notes… from a CSV/XLSX file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from pulso.core.dates import DATE_ORDERS
from pulso.core.files import ImportFileError, read_table
from pulso.core.mapping import MappingError, load_mapping_file
from pulso.feedback.actions import do_import_feedback_rows
from pulso.feedback.importing import (
    FIELD_LABELS,
    FileSettings,
    complete_mapping,
    rejects_csv,
    rows_to_items,
)
from pulso.feedback.models import Feedback, ImportRun


def parse_pairs(pairs: list[str]) -> dict[str, Any]:
    """``--mapping``: one YAML or JSON file, or ``COLUMN=FIELD`` pairs (FIELD empty or
    ``ignore`` un-maps the column; ``#3`` names the third column)."""
    if len(pairs) == 1 and Path(pairs[0]).suffix.lower() in (".json", ".yaml", ".yml"):
        try:
            data = load_mapping_file(Path(pairs[0]))
        except MappingError as exc:
            raise CommandError(str(exc)) from exc
        return dict(data.get("columns", data))
    mapping: dict[str, Any] = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        if not sep or not column:
            raise CommandError(f"--mapping expects COLUMN=FIELD or a mapping file, got {pair!r}")
        mapping[column] = target.strip()
    return mapping


def parse_scale(text: str) -> tuple[int, int]:
    """``"0-10"`` → (0, 10)."""
    low, sep, high = text.partition("-")
    if not sep or not low.isdigit() or not high.isdigit() or int(low) >= int(high):
        raise CommandError(f"--rating-scale expects LOW-HIGH (e.g. 1-5 or 0-10), got {text!r}")
    return int(low), int(high)


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
            help="A YAML/JSON mapping file or COLUMN=FIELD pairs; fields: "
            + ", ".join(FIELD_LABELS),
        )
        parser.add_argument("--date-order", choices=DATE_ORDERS, default="")
        parser.add_argument("--rating-scale", type=parse_scale, help="e.g. 0-10 or 1-5")
        parser.add_argument(
            "--reverse-rating", action="store_true", help="The lowest number is the best rating."
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate only, store nothing.")
        parser.add_argument("--report", type=Path, help="Write the rejected rows to this CSV.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            table = read_table(path.read_bytes(), path.name)
            mapping = complete_mapping(table.headers, parse_pairs(options["mapping"]))
        except (OSError, ImportFileError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if "text" not in mapping:
            raise CommandError("No text column found: use --mapping COLUMN=text")
        defaults = {"source": options["source"], "source_name": options["source_name"]}
        settings = FileSettings(options["date_order"], options["rating_scale"],
                                options["reverse_rating"])  # fmt: skip
        try:
            items, rejects = rows_to_items(table, mapping, defaults, settings)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
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
