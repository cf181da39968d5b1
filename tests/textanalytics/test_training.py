from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from pulso.textanalytics import actions, pipeline_service
from pulso.textanalytics.models import SentimentModelVersion, TextAnalysis, TextJob
from pulso.textanalytics.training import feedback_label, rated_comments
from tests.textanalytics import factories

pytestmark = pytest.mark.django_db

Status = SentimentModelVersion.Status


@pytest.fixture
def low_threshold(settings: Any) -> None:
    settings.PULSO_SENTIMENT_MIN_RATED = 90


def test_ratings_become_weak_labels(org: Any) -> None:
    survey = factories.survey()
    factories.responses(survey, [("Muy mal", 3), ("Normal", 7), ("Genial", 10), ("Sin nota", None)])
    factories.feedback(["Horrible"], rating=1)
    rated = rated_comments()
    assert sorted(zip(rated.texts["es"], rated.labels["es"], strict=True)) == [
        ("Genial", "positive"),
        ("Horrible", "negative"),
        ("Muy mal", "negative"),
        ("Normal", "neutral"),
    ]
    assert feedback_label(6, 10) == "neutral" and feedback_label(8, 10) == "positive"
    assert feedback_label(2, 10) == "negative" and feedback_label(None, 5) is None


def test_below_the_threshold_the_cold_start_analyser_stays(org: Any, low_threshold: None) -> None:
    factories.responses(factories.survey(), factories.rated_comments(60))
    assert actions.do_retrain_sentiment() == []
    assert not SentimentModelVersion.objects.exists()
    assert pipeline_service.backends()["es"].kind == pipeline_service.COLD_START
    actions.do_analyse_pending()
    assert set(TextAnalysis.objects.values_list("analyser", flat=True)) == {"coldstart"}


def test_above_the_threshold_a_trained_model_is_activated_and_used(
    org: Any, low_threshold: None, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    factories.responses(factories.survey(), factories.rated_comments(150))
    actions.do_analyse_pending()  # scored by the cold start first
    with django_capture_on_commit_callbacks(execute=True):
        (version,) = actions.do_retrain_sentiment()
    assert version.status == Status.ACTIVE and version.language == "es"
    assert version.n_training == 150 and version.accuracy is not None and version.macro_f1 > 0.5
    backend = pipeline_service.backends()["es"]
    assert backend.kind == pipeline_service.TRAINED and backend.version == version
    # The re-score job re-analysed the history with the new model.
    assert TextJob.objects.get(kind=TextJob.Kind.RESCORE).status == TextJob.Status.DONE
    analysers = set(TextAnalysis.objects.values_list("analyser", flat=True))
    assert analysers == {f"trained:{version.pk}"}


def _with_report(version: SentimentModelVersion, macro_f1: float) -> None:
    version.report = {**version.report, "macro_f1": macro_f1}
    version.macro_f1 = macro_f1
    version.save(update_fields=["report", "macro_f1"])


def test_retraining_keeps_the_better_model(org: Any, low_threshold: None) -> None:
    factories.responses(factories.survey(), factories.rated_comments(150))
    (first,) = actions.do_retrain_sentiment(rescore=False)
    _with_report(first, 0.999)  # an active model no retrain can beat
    (second,) = actions.do_retrain_sentiment(rescore=False)
    assert second.status == Status.REJECTED and second.model_bytes in (b"", memoryview(b""))
    first.refresh_from_db()
    assert first.status == Status.ACTIVE
    assert pipeline_service.backends()["es"].version == first

    _with_report(first, 0.1)  # now a clearly worse one: the new model replaces it
    (third,) = actions.do_retrain_sentiment(rescore=False)
    first.refresh_from_db()
    assert third.status == Status.ACTIVE and first.status == Status.RETIRED
    assert SentimentModelVersion.objects.filter(status=Status.ACTIVE).count() == 1


def test_train_sentiment_command(org: Any, low_threshold: None, capsys: Any) -> None:
    call_command("train_sentiment", "--no-rescore")
    assert "cold start stays active" in capsys.readouterr().out
    factories.responses(factories.survey(), factories.rated_comments(120))
    call_command("train_sentiment", "--no-rescore")
    assert "es: active (n=120" in capsys.readouterr().out


def test_an_unloadable_transformer_is_reported_and_falls_back(
    org: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PULSO_TRANSFORMER_MODEL_PATH = str(tmp_path / "missing-model")
    backend = pipeline_service.backends()["es"]
    assert backend.kind == pipeline_service.COLD_START
    assert "missing-model" in backend.error
    result = pipeline_service.get_analyzer().analyze("El personal fue muy amable")
    assert result.sentiment == "positive"
