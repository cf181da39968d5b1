"""Per-IP rate limiting of public survey POSTs, counted in Django's default cache, which every
server process shares (settings.CACHES: a database table, or Redis when REDIS_URL is set; both
count atomically), so N processes allow the limit once between them, not N times.

The limit comes from ``settings.PULSO_PUBLIC_RATE_LIMIT`` (env ``PULSO_PUBLIC_RATE_LIMIT``):
"30/m" means 30 requests a minute; "off" disables it. Counting is :mod:`pulso.core.ratelimit`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from pulso.core.ratelimit import over_limit
from pulso.surveys.models import Branding

View = Callable[..., HttpResponse]


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


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
        if request.method == "POST" and over_limit(
            "public", client_ip(request), rate, "PULSO_PUBLIC_RATE_LIMIT"
        ):
            return too_many_requests(request)
        return view(request, *args, **kwargs)

    return wrapper
