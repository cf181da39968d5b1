"""Erasing a customer: the key phrases and aspect clauses drawn from their comments lose
personal details."""

from __future__ import annotations

from pulso.customers.erasure import Erasure
from pulso.textanalytics.models import AspectSentiment, TextAnalysis


def erase_key_phrases(erasure: Erasure) -> None:
    analyses = TextAnalysis.objects.filter(feedback__customer_id=erasure.customer_id)
    for analysis in analyses.only("pk", "key_phrases").iterator(2000):
        phrases = erasure.redact_json(analysis.key_phrases, every_string=True)
        if phrases != analysis.key_phrases:
            TextAnalysis.objects.filter(pk=analysis.pk).update(key_phrases=phrases)
            erasure.count("textanalytics.textanalysis", 1)


def erase_aspect_clauses(erasure: Erasure) -> None:
    aspects = AspectSentiment.objects.filter(analysis__feedback__customer_id=erasure.customer_id)
    for aspect in aspects.only("pk", "text").iterator(2000):
        text = erasure.redact(aspect.text)
        if text != aspect.text:
            AspectSentiment.objects.filter(pk=aspect.pk).update(text=text[:1000])
            erasure.count("textanalytics.aspectsentiment", 1)
