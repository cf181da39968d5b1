from __future__ import annotations

from typing import Any

from pulso.reputation.models import Mention
from tests.factories import FeedbackFactory


def make_mention(text: str = "Buena atención.", network: str = "Google", **fields: Any) -> Mention:
    """A review recorded as feedback, with its mention."""
    details = {k: fields.pop(k) for k in ("url", "author_handle", "reach") if k in fields}
    record = FeedbackFactory(text=text, source_name=network, **fields)
    return Mention.objects.create(feedback=record, network=network, **details)
