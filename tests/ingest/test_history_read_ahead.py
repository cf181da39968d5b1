"""A history import of several chunks reads them in a child process while it writes: what it
stores, skips and rejects is what reading in one process gives; a refused file and a reader
that dies store nothing."""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import signal
from typing import Any

import pytest

from pulso.core.files import ImportFileError
from pulso.feedback.actions import do_undo_import
from pulso.feedback.models import ImportRun
from pulso.surveys.importers import history
from pulso.surveys.importers.history import do_import_survey_history
from pulso.surveys.models import Response, Survey
from tests.ingest.test_bulk_aggregates import MAPPING, export
from tests.ingest.test_history_bulk_write import assert_references_resolve, stored
from tests.ingest.test_history_import import sample

pytestmark = pytest.mark.django_db


def repeated(data: bytes, times: int) -> bytes:
    """The sample export with its responses repeated (already seen in the file)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    out = io.StringIO()
    csv.writer(out).writerows(rows[:3] + rows[3:] * times)
    return out.getvalue().encode()


def snapshot(survey: Survey, run: ImportRun) -> tuple[Any, ...]:
    """Every stored value but ids and creation times, with the run's counts and rejects."""
    responses = [
        (r.external_id, r.submitted_at, r.started_at, r.is_complete, r.nps, r.csat, r.ces,
         r.comment, r.channel, r.language, r.segment, r.customer_id, r.org_unit_id,
         r.feedback.text, r.feedback.received_at, r.feedback.customer_id, answers)
        for r, answers in stored(survey)
    ]  # fmt: skip
    return (run.total, run.created, run.skipped, run.rejected, run.rejects, responses)


def children_seen(seen: list[int]) -> Any:
    return lambda _rows: seen.append(len(multiprocessing.active_children()))


def test_several_chunks_are_read_by_a_child_and_stored_as_one_process_stores_them(
    survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Choices, customers, rows skipped and rejected, and more than the pipe holds: the child
    # is still reading when the first chunk is stored.
    data = repeated(sample("qualtrics_tienda.csv"), 150)
    monkeypatch.setattr(history, "CHUNK", 40)
    seen: list[int] = []
    run = do_import_survey_history(
        survey, data, fmt="qualtrics", progress=children_seen(seen), read_ahead=True
    )
    assert len(seen) == 30 and seen[0] == 1  # read by a child process
    assert_references_resolve()
    ahead = snapshot(survey, run)
    do_undo_import(run)
    assert not Response.objects.filter(survey=survey).exists()

    seen.clear()  # without read_ahead (the web upload's case): every chunk read here
    run = do_import_survey_history(survey, data, fmt="qualtrics", progress=children_seen(seen))
    assert seen == [0] * 30
    assert snapshot(survey, run) == ahead
    do_undo_import(run)

    monkeypatch.setattr(history, "CHUNK", 10_000)
    seen.clear()
    run = do_import_survey_history(
        survey, data, fmt="qualtrics", progress=children_seen(seen), read_ahead=True
    )
    assert seen == [0]  # one chunk: read in this process
    assert snapshot(survey, run) == ahead
    assert (run.total, run.created, run.skipped, run.rejected) == (1200, 6, 1044, 150)


def test_a_date_that_needs_an_order_in_a_later_chunk_refuses_the_file(
    survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = export(120, bad=-1).split(b"\r\n")
    lines[3 + 70] = lines[3 + 70].replace(b"2024-02-17 12:30:00", b"02/04/2024 12:30")
    data = b"\r\n".join(lines)
    monkeypatch.setattr(history, "CHUNK", 25)
    with pytest.raises(ImportFileError, match=r"74: .*\(dmy, mdy o"):
        do_import_survey_history(survey, data, fmt="qualtrics", mapping=MAPPING, read_ahead=True)
    assert not Response.objects.filter(survey=survey).exists()
    assert not ImportRun.objects.exists()


def test_a_reader_that_dies_fails_the_import_and_stores_nothing(
    survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child is killed (as the kernel's out-of-memory killer would) once the first chunk
    is stored; the chunks it had already sent are written, then the import fails clearly."""

    def kill_the_reader(_rows: int) -> None:
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]

    monkeypatch.setattr(history, "CHUNK", 25)
    with pytest.raises(
        ImportFileError, match=r"se detuvo de forma inesperada \(código de salida -9\)"
    ):
        do_import_survey_history(survey, export(1500, bad=-1), fmt="qualtrics", mapping=MAPPING,
                                 progress=kill_the_reader, read_ahead=True)  # fmt: skip
    assert not Response.objects.filter(survey=survey).exists()
    assert not ImportRun.objects.exists()
    assert not multiprocessing.active_children()
