from __future__ import annotations

import pytest
from django.utils import timezone

from pulso.core import scheduler

pytestmark = pytest.mark.django_db


def test_each_app_registers_its_own_jobs() -> None:
    """Every job comes from its app's ``AppConfig.ready`` (the base app's one is retention,
    whose work the apps register with it)."""
    assert sorted(scheduler.JOBS) == [
        "alerts.digest",
        "alerts.drops",
        "alerts.spikes",
        "alerts.words",
        "core.retention",
        "inbox.mail",
        "inbox.monitor_slas",
        "inbox.retry_deliveries",
        "loop.daily",
        "loop.monitor_slas",
        "loop.retry_deliveries",
        "metrics.refresh",
        "reports.retry",
        "reports.weekly",
        "reputation.feeds",
        "surveys.send_reminders",
        "textanalytics.analyse_pending",
        "textanalytics.find_emerging_themes",
        "textanalytics.retrain_sentiment",
    ]
    assert all(
        path.startswith(f"pulso.{name.split('.')[0]}.")
        for name, (_cron, path) in scheduler.JOBS.items()
    )


@pytest.mark.parametrize("name", sorted(scheduler.JOBS))
def test_every_registered_job_resolves_to_a_function(name: str) -> None:
    assert callable(scheduler.job_function(name))


def test_periodic_jobs_of_metrics_and_text_analytics_run() -> None:
    now = timezone.now()
    assert set(scheduler.job_function("metrics.refresh")(now)) == {"days", "feedback_indexed"}
    # With no rated comments there is nothing to train or cluster, and nothing fails.
    assert scheduler.job_function("textanalytics.retrain_sentiment")(now) == 0
    assert scheduler.job_function("textanalytics.find_emerging_themes")(now) == 0
    assert scheduler.job_function("inbox.mail")(now) == 0  # no mailbox configured
    assert scheduler.job_function("reputation.feeds")(now) == 0  # no feed configured
