"""Payload builders for the feedback tests."""

from __future__ import annotations

from typing import Any


def review(n: int, **overrides: Any) -> dict[str, Any]:
    """A valid review payload, unique by ``n``."""
    item: dict[str, Any] = {
        "source": "review",
        "source_name": "Google",
        "external_id": f"g-{n}",
        "text": f"Reseña {n}: la tienda estaba limpia y el personal fue muy amable.",
        "rating": 4,
        "rating_scale_max": 5,
        "received_at": "2025-03-01T10:15:00",
    }
    item.update(overrides)
    return item
