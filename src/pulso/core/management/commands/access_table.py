"""Print the access policy's role × action table, or write it to a file (docs/access.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from pulso.core.access_docs import render_markdown


class Command(BaseCommand):
    help = "Print the role × action table of the access policy (Markdown)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--write", metavar="FILE", help="write the table to FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render_markdown()
        if options["write"]:
            Path(options["write"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
