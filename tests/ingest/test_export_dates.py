"""Dates in exported files: ISO 8601 and the regional forms survey tools write."""

from __future__ import annotations

import pytest

from pulso.surveys.importers.common import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-02 18:22:10", (2024, 5, 2, 18, 22)),
        ("02.05.2024 18:22", (2024, 5, 2, 18, 22)),  # LimeSurvey dd.mm.yyyy
        ("02-05-2024 18:22:10", (2024, 5, 2, 18, 22)),
        ("2024/05/02 18:22:10", (2024, 5, 2, 18, 22)),
        ("02/05/2024", (2024, 5, 2, 0, 0)),  # day first, as in Spain
        ("02/05/2024 06:22 p. m.", (2024, 5, 2, 18, 22)),  # Spanish 12-hour clock: day first
        ("5/2/2024 6:22:10 PM", (2024, 5, 2, 18, 22)),  # US 12-hour clock: month first
    ],
)
def test_export_dates_in_the_usual_regional_forms(text: str, expected: tuple[int, ...]) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute) == expected


def test_an_impossible_date_is_reported() -> None:
    with pytest.raises(ValueError, match="31/31/2024"):
        parse_date("31/31/2024")
