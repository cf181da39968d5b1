from __future__ import annotations

import http.client
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import redis
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from pulso.core.ratelimit import over_limit, parse_rate
from tests import processes
from tests.processes import free_port, kill, live_survey, pulso, start, wait_for_port

REDIS_TEST_URL = "redis://127.0.0.1:6379/7"
FORM = "application/x-www-form-urlencoded"


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


@pytest.mark.django_db
def test_counts_per_ident() -> None:
    cache.clear()
    assert [over_limit("t", "1.1.1.1", "3/m") for _ in range(4)] == [False, False, False, True]
    assert not over_limit("t", "2.2.2.2", "3/m")
    assert not any(over_limit("t", "1.1.1.1", "off") for _ in range(10))


@pytest.mark.django_db
def test_the_count_lives_in_the_database_every_process_reads(database_cache: Any) -> None:
    """Without Redis the limit counts in the database cache: a row of its table, which every
    server process reads, not a process's memory."""
    for _ in range(3):
        over_limit("public", "9.9.9.9", "3/m")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pulso_cache")
        assert cursor.fetchone()[0] == 1
    another_process = caches.create_connection("default")  # a fresh backend, no shared memory
    assert another_process.get("pulso:rl:public:9.9.9.9") == 3
    assert over_limit("public", "9.9.9.9", "3/m")


@pytest.fixture
def redis_cache(settings: Any) -> Any:
    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    client.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "pulso",
        }
    }
    yield client
    client.flushdb()


def test_with_redis_the_count_lives_in_redis(redis_cache: Any) -> None:
    for _ in range(2):
        assert not over_limit("public", "8.8.8.8", "2/m")
    assert [key for key in redis_cache.keys("*") if b"rl:public:8.8.8.8" in key]
    assert over_limit("public", "8.8.8.8", "2/m")


server_env = processes.server_env


def post_answer(port: int, token: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    body = urlencode({"page": "0", "nps": "8", "comment": "bien"})
    conn.request("POST", f"/s/{token}/", body, {"Content-Type": FORM})
    status = conn.getresponse().status
    conn.close()
    return status


def test_server_processes_share_one_limit(server_env: dict[str, str], tmp_path: Path) -> None:
    """Three gunicorn workers accept the limit once between them, not three times."""
    server_env["PULSO_PUBLIC_RATE_LIMIT"] = "6/m"
    pulso(server_env, "migrate", "-v0")
    token = live_survey(server_env)
    port = free_port()
    serve = ["serve", "--port", str(port), "--workers", "3", "--threads", "2"]
    server = start(server_env, tmp_path / "server.log", *serve)
    try:
        wait_for_port(port, server)
        with ThreadPoolExecutor(6) as pool:
            statuses = list(pool.map(lambda _n: post_answer(port, token), range(30)))
    finally:
        kill(server)
    assert sorted(set(statuses)) == [302, 429]
    assert statuses.count(302) == 6
