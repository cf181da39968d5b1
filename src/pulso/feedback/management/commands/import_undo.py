"""``pulso import_undo RUN_ID``: remove everything one import stored."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pulso.feedback.actions import ImportNotUndoable, do_undo_import
from pulso.feedback.models import ImportRun


class Command(BaseCommand):
    help = "Undo an import: remove every record (and survey response) it stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("run_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        run = ImportRun.objects.filter(pk=options["run_id"]).first()
        if run is None:
            raise CommandError(_("No import with id %(id)s") % {"id": options["run_id"]})
        try:
            removed = do_undo_import(run)
        except ImportNotUndoable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Import %(id)s undone: %(count)s records removed.")
                % {"id": run.pk, "count": removed}
            )  # fmt: skip
        )
