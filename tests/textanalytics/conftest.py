from __future__ import annotations

from typing import Any

import pytest

from tests.textanalytics.factories import fresh_analyser  # noqa: F401


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Run enqueued tasks at once, in the test's thread."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh(fresh_analyser: None) -> None:  # noqa: F811
    return None
