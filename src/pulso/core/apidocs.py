"""The API's reference pages beside django-ninja's Swagger UI (``/api/docs``): Redoc at
``/api/redoc``, vendored from django-ninja's copy (scripts/vendor_redoc.py) and under the
strict Content-Security-Policy (no inline script; Redoc's generated styles carry the nonce)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from ninja.openapi.docs import Redoc

if TYPE_CHECKING:
    from ninja import NinjaAPI


class StrictRedoc(Redoc):
    """django-ninja's Redoc page, with the vendored Redoc started by a static script instead of
    an inline one."""

    template = "core/redoc.html"


def redoc_view(request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
    return StrictRedoc().render_page(request, api, **kwargs)


def reference_urls(api: NinjaAPI) -> list[URLPattern]:
    """``redoc`` beside ``docs``, guarded as the Swagger UI page is (``api.docs_decorator``)."""
    if not api.openapi_url:
        return []
    view: Any = partial(redoc_view, api=api)
    if api.docs_decorator:
        view = api.docs_decorator(view)
    return [path("redoc", view, name="redoc")]
