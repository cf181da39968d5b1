"""Per-IP rate limiting of public survey POSTs, counted in Django's default cache, which every
server process shares (settings.CACHES: a database table, or Redis when REDIS_URL is set; both
count atomically), so N processes allow the limit once between them, not N times.

The limit comes from ``settings.PULSO_PUBLIC_RATE_LIMIT`` (env ``PULSO_PUBLIC_RATE_LIMIT``):
"30/m" means 30 requests a minute; "off" disables it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from pulso.surveys.models import Branding

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
View = Callable[..., HttpResponse]


def parse_rate(rate: str) -> tuple[int, int] | None:
    """ "30/m" → (30, 60); "off" or "" → None (no limit)."""
    rate = rate.strip().lower()
    if rate in ("", "off", "none", "0"):
        return None
    count, _, period = rate.partition("/")
    try:
        limit, seconds = int(count), PERIODS[period[:1] or "m"]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"PULSO_PUBLIC_RATE_LIMIT must look like 30/m (per s, m, h or d), got {rate!r}"
        ) from None
    return limit, seconds


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def over_limit(scope: str, ident: str, rate: str) -> bool:
    """Count one request of ``ident`` and tell whether it exceeds ``rate``.

    The window opens with the first request and lasts the whole period, so a burst is never
    split across two windows.
    """
    parsed = parse_rate(rate)
    if parsed is None:
        return False
    limit, seconds = parsed
    key = f"pulso:rl:{scope}:{ident}"
    if cache.add(key, 1, timeout=seconds):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > limit


def too_many_requests(request: HttpRequest) -> HttpResponse:
    context = {"branding": Branding.current(), "language": "es"}
    with translation.override("es"):
        response = render(request, "surveys/public/too_many.html", context, status=429)
    response.headers["Retry-After"] = "60"
    response.headers["Content-Language"] = "es"
    return response


def limit_public_posts(view: View) -> View:
    """Answer 429 (a Spanish page) to POSTs past the per-IP limit; GETs are not counted."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate = getattr(settings, "PULSO_PUBLIC_RATE_LIMIT", "30/m")
        if request.method == "POST" and over_limit("public", client_ip(request), rate):
            return too_many_requests(request)
        return view(request, *args, **kwargs)

    return wrapper
