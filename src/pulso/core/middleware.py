"""Requests no view can serve safely, refused before they reach one; the Content-Security-Policy
header of every response."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    return any(NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists())


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string is a 400: no URL or filter needs one, and
    PostgreSQL refuses it in any text it is compared with (a 500 otherwise). Form and JSON
    bodies are validated where they are read (forms refuse it, texts drop it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("The address holds a character that is not allowed (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": {}}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


# What a view or decorator of django-csp sets on a response to change its policy.
_POLICY_CHANGES = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
    "_csp_replace_ro",
)  # fmt: skip
# Django's debug pages, which django-csp leaves without a policy when DEBUG is on.
_DEBUG_PAGES = (HTTPStatus.INTERNAL_SERVER_ERROR, HTTPStatus.NOT_FOUND)
REPORT_ONLY_SETTING = "CONTENT_SECURITY_POLICY_REPORT_ONLY"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, building the settings' policy once instead of on every response.

    Most responses (redirects such as a survey's thank-you redirect, JSON, pages without an
    inline style) carry no nonce and change nothing of the policy, so their header is the
    settings' policy as it stands: it is built again only when the settings object changes.
    A response with a nonce or a per-view policy goes through django-csp as it is.
    """

    _built: tuple[Any, Any, str, str] | None = None

    def _settings_policies(self) -> tuple[str, str]:
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, REPORT_ONLY_SETTING, None)
        built = self._built
        if built is None or built[0] is not policy or built[1] is not report_only:
            built = (policy, report_only, build_policy(), build_policy(report_only=True))
            self._built = built
        return built[2], built[3]

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _POLICY_CHANGES
        ):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_PAGES and settings.DEBUG:
            return response
        policy, report_only = self._settings_policies()
        _set_header(request, response, HEADER, policy, "CONTENT_SECURITY_POLICY")
        _set_header(request, response, HEADER_REPORT_ONLY, report_only, REPORT_ONLY_SETTING)
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


def _set_header(
    request: HttpRequest, response: HttpResponseBase, header: str, value: str, setting: str
) -> None:
    """django-csp's rules: not over a header already set, an exempt response or an excluded
    path prefix."""
    exempt = "_csp_exempt" if header == HEADER else "_csp_exempt_ro"
    if not value or header in response or getattr(response, exempt, False) is not False:
        return
    prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    if not request.path_info.startswith(tuple(prefixes)):
        response[header] = value
