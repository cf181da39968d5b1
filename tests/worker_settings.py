"""Pulso's settings plus the test-only app of :mod:`tests.worker_app` (for worker processes)."""

from pulso.settings import *  # noqa: F403
from pulso.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.worker_app"]
