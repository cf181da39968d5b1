"""Scoring of one answer and of a visit (pure functions)."""

from __future__ import annotations

import pytest

from pulso.audits.photos import image_format
from pulso.audits.scoring import item_score, visit_score
from tests.audits.factories import tiny_png


@pytest.mark.parametrize(
    ("kind", "passed", "rating", "expected", "failed"),
    [
        ("yes_no", True, None, 100.0, False),
        ("yes_no", False, None, 0.0, True),
        ("photo", False, None, 0.0, True),
        ("yes_no", None, None, None, False),
        ("scale", None, 1, 0.0, True),
        ("scale", None, 3, 50.0, False),
        ("scale", None, 2, 25.0, True),
        ("scale", None, 5, 100.0, False),
        ("scale", None, 9, 100.0, False),  # out of range: bounded
        ("comment", None, None, None, False),
    ],
)
def test_item_score(
    kind: str, passed: bool | None, rating: int | None, expected: float | None, failed: bool
) -> None:
    result = item_score(kind, passed, rating, 5)
    assert result.score == expected
    assert result.failed is failed


def test_visit_score_is_the_weighted_mean_of_scored_items() -> None:
    assert visit_score([(0.0, 2), (100.0, 1), (50.0, 1), (None, 1)]) == 37.5
    assert visit_score([(None, 1)]) is None
    assert visit_score([]) is None


def test_image_formats_are_read_from_the_first_bytes() -> None:
    assert image_format(tiny_png()[:12]) == "png"
    assert image_format(b"\xff\xd8\xff\xe0" + b"\0" * 8) == "jpeg"
    assert image_format(b"RIFF\0\0\0\0WEBP") == "webp"
    assert image_format(b"<svg xmlns=") is None
    assert image_format(b"GIF89a") is None
