"""The shared database cache: an increment keeps the key's expiry (Django's resets it)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils.timezone import now

from pulso.core.cache import SharedDatabaseCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache(database_cache: SharedDatabaseCache) -> SharedDatabaseCache:
    assert isinstance(database_cache, SharedDatabaseCache)
    return database_cache


def seconds_left(cache: SharedDatabaseCache, key: str) -> float:
    expires = cache._lock("default", cache.make_and_validate_key(key))
    assert expires is not None
    return (expires - now()).total_seconds()


def test_incr_counts_and_keeps_the_window(cache: SharedDatabaseCache) -> None:
    assert cache.add("window", 1, timeout=60)
    assert [cache.incr("window") for _ in range(3)] == [2, 3, 4]
    assert cache.get("window") == 4
    assert 55 < seconds_left(cache, "window") <= 60  # not Django's default 300 s


def test_incr_of_a_missing_key_is_refused(cache: SharedDatabaseCache) -> None:
    with pytest.raises(ValueError):
        cache.incr("nothing")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pulso_cache")
        assert cursor.fetchone()[0] == 0
