"""Demo step: the default taxonomy, a sentiment model trained on the demo's rated comments,
every comment analysed in bulk, and one run of emerging themes."""

from __future__ import annotations

import random
from typing import Any

from pulso.textanalytics import actions, analysis


def build(rng: random.Random, progress: Any) -> None:
    actions.do_load_default_taxonomy()
    tick = progress("Text analytics: sentiment model", 1)
    # Trained before the bulk analysis, so that every comment is scored once, by the model.
    actions.do_retrain_sentiment(rescore=False)
    tick(1)
    tick = progress("Text analytics: comments", analysis.count_pending())
    actions.do_analyse_pending(progress=tick)
    tick = progress("Text analytics: emerging themes", 1)
    actions.do_find_emerging_themes()
    tick(1)
