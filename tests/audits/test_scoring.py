"""Scoring of one answer and of a visit (pure functions)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pulso.audits.photos import MAX_PHOTO_BYTES, image_format, validate_photo
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


def test_a_photo_is_checked_by_its_bytes_and_its_size() -> None:
    ok = SimpleUploadedFile("foto.jpeg", tiny_png(), content_type="image/jpeg")
    assert validate_photo(ok) == "png"  # the bytes decide, not the name or the browser
    with pytest.raises(ValidationError, match="JPEG, PNG"):
        validate_photo(SimpleUploadedFile("foto.png", b"GIF89a....", content_type="image/png"))
    with pytest.raises(ValidationError, match="JPEG, PNG"):
        validate_photo(SimpleUploadedFile("vacia.png", b"", content_type="image/png"))
    huge = SimpleUploadedFile("grande.png", tiny_png() + b"\0" * MAX_PHOTO_BYTES)
    with pytest.raises(ValidationError) as error:
        validate_photo(huge)
    assert error.value.code == "too_large"
