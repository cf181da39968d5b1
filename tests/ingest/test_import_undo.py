"""One import is one run: the CLI reports it, ``pulso import_undo`` removes it whole, and the
dashboards' figures come back to what they were."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from pulso.core import events
from pulso.core.models import PendingEvent
from pulso.feedback.events import RECORDED
from pulso.feedback.models import Feedback, ImportRun
from pulso.metrics.aggregates import process_pending_changes
from pulso.metrics.filters import MetricFilter
from pulso.metrics.queries import total
from pulso.surveys.importers.history import do_import_survey_history
from pulso.surveys.models import Answer, ImportMapping, Response, Survey
from pulso.textanalytics.models import TextAnalysis
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
YEAR_2023 = MetricFilter(start=date(2023, 1, 1), end=date(2023, 12, 31))


def cli(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


def figures(user: Any) -> tuple[int, int, int, int, int]:
    process_pending_changes()  # what the feedback.recorded subscriber and the refresh job run
    now = total(YEAR_2023, user)
    return now.n, now.nps_n, now.promoters, now.detractors, now.csat_n


def test_undo_removes_the_import_and_restores_the_dashboards(
    survey: Survey, personas: Personas
) -> None:
    google = FIXTURES / "googleforms_tienda.csv"
    cli("import_survey_history", "--survey", str(survey.pk), "--date-order", "dmy", str(google))
    before = figures(personas.admin)
    assert before == (3, 3, 2, 1, 3)
    monkey = FIXTURES / "surveymonkey_tienda.csv"
    mapping = FIXTURES / "surveymonkey_tienda.yaml"
    out = cli("import_survey_history", "--survey", str(survey.pk), "--mapping", str(mapping),
              str(monkey))  # fmt: skip
    assert "5 rows: created 3, skipped 0, rejected 2" in out
    run_id = int(re.search(r"pulso import_undo (\d+)", out).group(1))  # type: ignore[union-attr]
    assert figures(personas.admin) == (6, 6, 3, 2, 6)
    assert Feedback.objects.filter(import_run_id=run_id).count() == 3

    assert "3 records removed" in cli("import_undo", str(run_id))
    assert figures(personas.admin) == before
    assert Response.objects.count() == 3 and not Feedback.objects.filter(import_run_id=run_id)
    assert not Answer.objects.filter(response__survey=survey, response__external_id="114256789012")
    assert ImportRun.objects.get(pk=run_id).undone_at is not None
    with pytest.raises(CommandError, match="already undone"), translation.override("en"):
        call_command("import_undo", str(run_id))
    with pytest.raises(CommandError), translation.override("en"):
        call_command("import_undo", "999999")


def test_dry_run_shows_the_first_rows_as_stored_and_stores_nothing(
    survey: Survey, tmp_path: Path
) -> None:
    report = tmp_path / "rechazadas.csv"
    out = cli("import_survey_history", "--survey", str(survey.pk), "--format", "msforms",
              "--date-order", "mdy", "--dry-run", "--report", str(report),
              str(FIXTURES / "msforms_tienda.csv"))  # fmt: skip
    assert "[dry run] 4 rows: created 3, skipped 0, rejected 1" in out
    assert "Format: msforms" in out and "Completion time → submitted" in out
    assert "[2] 1 2024-03-01 10:13:40+01:00" in out and "nps=9" in out
    assert not Response.objects.exists() and not ImportRun.objects.exists()
    assert report.read_text(encoding="utf-8").splitlines()[1].startswith("5;nps;")


def test_a_mapping_is_saved_and_reused_for_the_next_file_with_the_same_columns(
    survey: Survey,
) -> None:
    mapping = FIXTURES / "typeform_tienda.json"
    path = str(FIXTURES / "typeform_tienda.csv")
    cli("import_survey_history", "--survey", str(survey.pk), "--mapping", str(mapping), path)
    assert ImportMapping.objects.get(survey=survey).tool == "typeform"
    Response.objects.all().delete()
    out = cli("import_survey_history", "--survey", str(survey.pk), path)
    assert "created 3" in out and "Precio → aspectos" in out


def test_cli_refuses_bad_mappings_and_formats_with_a_readable_message(
    survey: Survey, tmp_path: Path
) -> None:
    path = str(FIXTURES / "msforms_tienda.csv")
    bad = tmp_path / "mapping.yaml"
    bad.write_text("columns:\n  No existe: nps\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no column"), translation.override("en"):
        call_command("import_survey_history", "--survey", str(survey.pk), "--mapping", str(bad),
                     path)  # fmt: skip
    bad.write_text("columns:\n  Comment sentiment: sentimiento\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no question"), translation.override("en"):
        call_command("import_survey_history", "--survey", str(survey.pk), "--mapping", str(bad),
                     path)  # fmt: skip
    with pytest.raises(CommandError, match="Typeform"), translation.override("en"):
        call_command("import_survey_history", "--survey", str(survey.pk), "--format", "typeform",
                     path)  # fmt: skip
    assert not Response.objects.exists()


def test_imported_answers_reach_text_analysis_and_metrics_like_answers_given_in_pulso(
    survey: Survey, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    run = do_import_survey_history(survey, FIXTURES / "googleforms_tienda.csv", date_order="dmy")
    records = set(Feedback.objects.filter(import_run=run).values_list("pk", flat=True))
    published = [e.payload for e in PendingEvent.objects.filter(name=RECORDED)]
    assert [set(payload["feedback_ids"]) for payload in published] == [records]  # one chunk
    with django_capture_on_commit_callbacks(execute=True):
        for payload in published:  # what the worker runs for each subscriber
            for path in events.subscribers(RECORDED):
                events.deliver(RECORDED, path, payload)
    commented = Feedback.objects.filter(import_run=run).exclude(text="")
    assert set(TextAnalysis.objects.values_list("feedback_id", flat=True)) == set(
        commented.values_list("pk", flat=True)
    )
    assert total(YEAR_2023, personas.admin).n == 3
    journeys = set(Feedback.objects.filter(import_run=run).values_list("journey_id", flat=True))
    assert journeys == {survey.touchpoint.stage.journey_id}
