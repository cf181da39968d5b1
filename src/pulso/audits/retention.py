"""What retention means for visits (registered in ``AuditsConfig.ready``): the auditor's
comments on visits made before the cutoff lose the personal details in them, as the visits'
feedback records do."""

from __future__ import annotations

from datetime import datetime

from pulso.audits.models import Visit, VisitAnswer
from pulso.lib.personal_data import mask


def mask_visit_comments(cutoff: datetime) -> int:
    """Mask the comments of visits made before ``cutoff``; returns the comments changed."""
    changed = 0
    old = Visit.objects.filter(visited_at__lt=cutoff)
    for visit in old.exclude(comment="").only("pk", "comment").iterator(2000):
        if (masked := mask(visit.comment)) != visit.comment:
            Visit.objects.filter(pk=visit.pk).update(comment=masked)
            changed += 1
    answers = VisitAnswer.objects.filter(visit__in=old).exclude(comment="")
    for answer in answers.only("pk", "comment").iterator(2000):
        if (masked := mask(answer.comment)) != answer.comment:
            VisitAnswer.objects.filter(pk=answer.pk).update(comment=masked)
            changed += 1
    return changed
