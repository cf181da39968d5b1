"""What retention means for survey answers (registered in ``SurveysConfig.ready``): the
response's comment and its text answers, which its feedback record copies."""

from __future__ import annotations

from datetime import datetime

from pulso.lib.personal_data import mask
from pulso.surveys.models import Answer, Response


def mask_answer_details(cutoff: datetime) -> int:
    """Personal details in comments and text answers of responses submitted before ``cutoff``."""
    responses = Response.objects.filter(submitted_at__lt=cutoff)
    changed = 0
    for response in responses.exclude(comment="").only("pk", "comment").iterator(2000):
        comment = mask(response.comment)
        if comment != response.comment:
            Response.objects.filter(pk=response.pk).update(comment=comment)
            changed += 1
    answers = Answer.objects.filter(response__in=responses.values("pk")).exclude(text="")
    for answer in answers.only("pk", "text").iterator(2000):
        text = mask(answer.text)
        if text != answer.text:
            Answer.objects.filter(pk=answer.pk).update(text=text)
            changed += 1
    return changed
