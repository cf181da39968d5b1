"""Redirects to an address a user supplied (``next``): only to this site, never elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, target: str | None, fallback: str) -> str:
    """``target`` when it stays on this site (same host, same or stronger scheme), else the
    URL of ``fallback`` (a URL name or a path)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)


def redirect_to_next(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Redirect to the request's ``next`` (POST, then GET) if it is safe, else to ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    return HttpResponseRedirect(safe_next(request, target, fallback))
