from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from pulso.feedback import actions as feedback_actions
from pulso.feedback.ingest import FeedbackIn
from pulso.feedback.models import Feedback
from pulso.surveys import actions as survey_actions
from pulso.textanalytics import actions
from pulso.textanalytics.models import TextAnalysis, TextJob, TopicMention
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db


def test_a_recorded_response_is_analysed_by_the_task_after_commit(
    immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    survey = factories.survey()
    with django_capture_on_commit_callbacks(execute=True):
        response = survey_actions.do_record_response(
            survey,
            {"nps": 3, "detractor_comment": "La entrega llegó tarde y el repartidor fue grosero."},
            channel="link",
        )
    analysis = TextAnalysis.objects.get(feedback=response.feedback)
    assert analysis.analysed and analysis.language == "es"
    assert analysis.sentiment == "negative"
    assert analysis.written_at == response.submitted_at
    slugs = set(analysis.mentions.values_list("topic__slug", flat=True))
    assert "entrega" in slugs


def test_responses_without_a_comment_get_no_analysis(
    immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    survey = factories.survey()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        survey_actions.do_record_response(survey, {"nps": 9}, channel="link")
    assert len(callbacks) == 1  # the feedback.recorded event (rules and metrics need it)
    assert not TextAnalysis.objects.exists()


def test_bulk_created_items_are_analysed_by_the_pending_sweep(org: Any) -> None:
    long_text = "El técnico fue muy amable. " * 1_000  # 27,000 characters
    items = factories.feedback(
        [
            "",
            "😀😀👍",
            "<p>El <b>vendedor</b> fue muy amable &amp; atento</p>",
            "instalaciÃ³n rÃ¡pida y el tÃ©cnico muy profesional",
            "Der Kundendienst war sehr unfreundlich und langsam",
            long_text,
        ]
    )
    assert not TextAnalysis.objects.exists()  # bulk_create sends no signals
    assert actions.do_analyse_pending() == 6
    by_item = {a.feedback_id: a for a in TextAnalysis.objects.all()}
    empty, emoji, html, mojibake, german, long = (by_item[i.pk] for i in items)
    assert (empty.analysed, empty.reason) == (False, "empty")
    assert (emoji.analysed, emoji.reason) == (False, "no_language")
    assert (german.analysed, german.reason, german.language) == (
        False,
        "unsupported_language",
        "de",
    )
    assert (
        html.analysed and html.sentiment == "positive" and "vendedor" in " ".join(html.key_phrases)
    )
    assert mojibake.analysed and mojibake.language == "es"
    assert long.analysed and long.sentiment == "positive"
    assert len(items[5].text) == len(long_text)  # stored whole, analysed truncated
    assert actions.do_analyse_pending() == 0


def test_reanalysis_is_idempotent(org: Any) -> None:
    survey = factories.survey()
    rows = factories.responses(survey, [("La entrega llegó tarde y rota", 2)] * 3)
    factories.responses(survey, [("", 8)])  # no comment: nothing to analyse
    actions.do_analyse_pending()
    first = list(TextAnalysis.objects.order_by("pk").values_list("pk", "sentiment"))
    mentions = TopicMention.objects.count()
    assert len(first) == 3 and mentions >= 3
    actions.do_analyse_items([r.feedback_id for r in rows])
    assert list(TextAnalysis.objects.order_by("pk").values_list("pk", "sentiment")) == first
    assert TopicMention.objects.count() == mentions


def test_the_pending_sweep_respects_its_limit(org: Any) -> None:
    factories.feedback(["La tienda muy limpia"] * 5)
    assert actions.do_analyse_pending(limit=2) == 2
    assert TextAnalysis.objects.count() == 2


def test_analyse_text_all_resumes_where_it_stopped(org: Any, capsys: Any) -> None:
    survey = factories.survey()
    rows = factories.responses(survey, [("El personal fue muy amable", 10)] * 4)
    items = [item.pk for item in factories.feedback(["Atención excelente"] * 2)]
    # An interrupted run: two responses done, the cursor saved after them.
    job = TextJob.objects.create(
        kind=TextJob.Kind.ANALYSE,
        params={"mode": "all", "cursor": rows[1].feedback_id},
        done=2,
        status=TextJob.Status.RUNNING,
    )
    call_command("analyse_text", "--all", "--resume")
    job.refresh_from_db()
    assert job.status == TextJob.Status.DONE and job.done == 6
    analysed = set(TextAnalysis.objects.values_list("feedback_id", flat=True))
    later = set(Feedback.objects.filter(pk__gt=rows[1].feedback_id).values_list("pk", flat=True))
    assert analysed == later == {rows[2].feedback_id, rows[3].feedback_id, *items}
    assert TextAnalysis.objects.filter(feedback__source="review").count() == 2
    assert "Resuming run" in capsys.readouterr().out


def test_analyse_text_pending_command(org: Any) -> None:
    factories.feedback(["La tienda muy limpia", "Pésimo servicio"])
    call_command("analyse_text", "--pending")
    assert TextAnalysis.objects.count() == 2
    assert TextJob.objects.get().status == TextJob.Status.DONE


def test_a_text_edited_after_it_was_stored_is_analysed_again(
    immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record, _created = feedback_actions.do_record_feedback(
            FeedbackIn(source="review", text="Todo perfecto, muy amables.", rating=5)
        )
    assert TextAnalysis.objects.get(feedback=record).sentiment == "positive"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record.save(update_fields=["received_at"])  # a save that leaves the text alone
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True):
        record.text = "La entrega llegó tarde y el repartidor fue grosero."
        record.save()  # as the admin's change form does
    analysis = TextAnalysis.objects.get(feedback=record)
    assert analysis.sentiment == "negative"
    assert "entrega" in set(analysis.mentions.values_list("topic__slug", flat=True))
