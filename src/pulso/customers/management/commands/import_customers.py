from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from pulso.core.files import ImportFileError, read_table
from pulso.core.mapping import MappingError, load_mapping_file
from pulso.customers.actions import do_run_customer_import, do_upload_customer_file, import_rows
from pulso.customers.importing import FIELD_LABELS, complete_mapping


class Command(BaseCommand):
    help = (
        "Import customers from a CSV (UTF-8 or Latin-1, ';' or ',') or XLSX file. Existing "
        "customers (same external id) are updated; rejected rows are listed with the reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, store nothing."
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            help="YAML or JSON file: column (header or #N) → field, or null to leave it out.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
            table = read_table(content, path.name)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        try:
            explicit = load_mapping_file(options["mapping"]) if options["mapping"] else {}
            mapping = complete_mapping(table.headers, dict(explicit.get("columns", explicit)))
        except MappingError as exc:
            raise CommandError(str(exc)) from exc
        if "external_id" not in mapping:
            raise CommandError(
                "No customer id column found; name it 'id', 'external_id' or 'cliente'."
            )
        self._describe(table.encoding, table.headers, mapping)
        with tqdm(total=len(table.rows), desc="Customers", unit="row", file=sys.stderr) as bar:
            if options["dry_run"]:
                report = import_rows(table, mapping, dry_run=True, progress=bar.update)
            else:
                upload = do_upload_customer_file(path.name, content)
                report = do_run_customer_import(upload, mapping, progress=bar.update)
        for error in report.errors:
            self.stdout.write(f"  row {error.row}: {error.reason}")
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.imported} customers ({report.created} new, "
                f"{report.updated} updated); {len(report.errors)} rows rejected."
            )
        )

    def _describe(self, encoding: str, headers: list[str], mapping: dict[str, int]) -> None:
        self.stdout.write(f"Encoding: {encoding}")
        for target, index in mapping.items():
            self.stdout.write(f"  {headers[index]!r} → {FIELD_LABELS[target]}")
        ignored = [h for i, h in enumerate(headers) if i not in mapping.values()]
        if ignored:
            self.stdout.write(f"  ignored columns: {', '.join(ignored)}")
