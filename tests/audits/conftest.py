from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Run enqueued tasks at once, in the test's thread."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """Visit photos go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
