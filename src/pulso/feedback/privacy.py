"""Comments as a given user may read them: whole where they may see personal data (see
:mod:`pulso.accounts.privacy`) or own a case about the feedback, with personal details masked
elsewhere. Built once per request or export."""

from __future__ import annotations

from pulso.accounts.privacy import PersonalData, personal_data
from pulso.core.access import AnyUser
from pulso.feedback.models import Feedback
from pulso.lib.personal_data import mask


class CommentPrivacy:
    def __init__(self, user: AnyUser) -> None:
        self.user = user
        self.personal: PersonalData = personal_data(user)
        self._owned: set[int] | None = None

    def owned(self) -> set[int]:
        """Feedback ids whose case the user owns (read once, only when needed)."""
        if self._owned is None:
            self._owned = (
                set(Feedback.objects.filter(cases__owner=self.user.pk).values_list("pk", flat=True))
                if self.user.pk
                else set()
            )
        return self._owned

    def text(
        self,
        text: str,
        *,
        feedback_id: int | None,
        unit_id: int | None = None,
        path: str | None = None,
        by_path: bool = False,
    ) -> str:
        """``text`` of the feedback ``feedback_id`` (in the unit ``unit_id``, or at ``path``
        when ``by_path``) as the user may read it."""
        allowed = self.personal.at_path(path) if by_path else self.personal.in_unit(unit_id)
        if allowed or not text or (feedback_id is not None and feedback_id in self.owned()):
            return text
        return mask(text)


def comment_privacy(user: AnyUser) -> CommentPrivacy:
    cached: CommentPrivacy | None = getattr(user, "_comment_privacy", None)
    if cached is None:
        cached = CommentPrivacy(user)
        user._comment_privacy = cached  # type: ignore[union-attr]
    return cached
