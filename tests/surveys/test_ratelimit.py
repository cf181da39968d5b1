from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from pulso.surveys.ratelimit import over_limit, parse_rate


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("30/m", (30, 60)), ("30", (30, 60)), ("5/s", (5, 1)), ("200/h", (200, 3600)),
     ("10/day", (10, 86400)), ("off", None), ("", None)],
)  # fmt: skip
def test_parse_rate(rate: str, parsed: tuple[int, int] | None) -> None:
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["abc/m", "30/x", "1.5/m"])
def test_bad_rates_fail_fast(rate: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)


def test_counts_per_ident() -> None:
    cache.clear()
    assert [over_limit("t", "1.1.1.1", "3/m") for _ in range(4)] == [False, False, False, True]
    assert not over_limit("t", "2.2.2.2", "3/m")
    assert not any(over_limit("t", "1.1.1.1", "off") for _ in range(10))
