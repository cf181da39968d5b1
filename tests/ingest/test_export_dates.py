"""Dates in exported files: ISO 8601 and the regional forms survey tools write, read in the
file's day/month order, never guessed."""

from __future__ import annotations

import pytest
from django.utils import translation

from pulso.core.dates import AmbiguousDate, parse_export_date


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2024-05-02 18:22:10", "", (2024, 5, 2, 18, 22)),
        ("2024/05/02 18:22:10", "", (2024, 5, 2, 18, 22)),  # year first reads one way only
        ("02.05.2024 18:22", "dmy", (2024, 5, 2, 18, 22)),  # LimeSurvey dd.mm.yyyy
        ("02-05-2024 18:22:10", "dmy", (2024, 5, 2, 18, 22)),
        ("02/05/2024", "dmy", (2024, 5, 2, 0, 0)),
        ("02/05/2024 06:22 p. m.", "dmy", (2024, 5, 2, 18, 22)),  # Spanish 12-hour clock
        ("5/2/2024 6:22:10 PM", "mdy", (2024, 5, 2, 18, 22)),  # US 12-hour clock
        ("25/12/2024 10:00", "", (2024, 12, 25, 10, 0)),  # a day above 12 needs no order
        ("12/25/2024 10:00", "", (2024, 12, 25, 10, 0)),
        ("7/27/26 19:06:23", "mdy", (2026, 7, 27, 19, 6)),  # Microsoft Forms' two-digit year
    ],
)
def test_export_dates_in_the_usual_regional_forms(
    text: str, order: str, expected: tuple[int, ...]
) -> None:
    parsed = parse_export_date(text, order)
    assert parsed is not None
    assert (parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute) == expected


def test_a_date_that_reads_both_ways_needs_the_order() -> None:
    with pytest.raises(AmbiguousDate), translation.override("en"):
        parse_export_date("1/3/2020")
    assert parse_export_date("1/3/2020", "mdy").month == 1  # type: ignore[union-attr]
    assert parse_export_date("1/3/2020", "dmy").month == 3  # type: ignore[union-attr]


def test_an_impossible_date_is_reported() -> None:
    with pytest.raises(ValueError, match="31/31/2024"):
        parse_export_date("31/31/2024", "dmy")
    with pytest.raises(ValueError, match="3/14/24"), translation.override("en"):
        parse_export_date("3/14/24", "dmy")
