"""Load the default taxonomy after migrations.

Arriving comments are analysed by the ``feedback.recorded`` subscriber
(:mod:`pulso.textanalytics.subscribers`); the daily ``textanalytics.analyse_pending`` job picks up
whatever no event reached (demo data, a lost task).
"""

from __future__ import annotations

from typing import Any


def load_taxonomy_after_migrate(sender: Any, **kwargs: Any) -> None:
    """Ship the default CX taxonomy with every new database (idempotent)."""
    from pulso.textanalytics.models import Topic

    if Topic.objects.exists():
        return
    from pulso.textanalytics.actions import do_load_default_taxonomy

    do_load_default_taxonomy()
