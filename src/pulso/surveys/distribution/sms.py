"""SMS providers, chosen by PULSO_SMS_PROVIDER: ``console`` (logs) or ``http`` (JSON POST).

The HTTP provider POSTs ``{"to", "body", "reference"}`` to PULSO_SMS_HTTP_URL, with
``Authorization: Bearer PULSO_SMS_HTTP_TOKEN`` when a token is set. A 2xx answer means sent;
400, 404, 410 and 422 mean the provider rejected the number (bounced); anything else (auth
errors, 5xx, timeouts, unreachable) is a failure of the sending itself.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("pulso.sms")
REJECTED_NUMBER_CODES = {400, 404, 410, 422}


@dataclass(frozen=True)
class SmsResult:
    status: str  # "sent", "bounced" or "failed"
    detail: str = ""


class SmsProvider(Protocol):
    def send(self, to: str, body: str, reference: str) -> SmsResult: ...


class ConsoleSmsProvider:
    """Development provider: the message goes to the log (logger ``pulso.sms``)."""

    def send(self, to: str, body: str, reference: str) -> SmsResult:
        logger.warning("SMS to %s [%s]: %s", to, reference, body)
        return SmsResult("sent", "console")


class HttpSmsProvider:
    def __init__(self, url: str, token: str = "", timeout: float = 10.0) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, to: str, body: str, reference: str) -> SmsResult:
        payload = json.dumps({"to": to, "body": body, "reference": reference}).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=payload, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                return SmsResult("sent", f"HTTP {answer.status} {_excerpt(answer.read())}")
        except urllib.error.HTTPError as exc:
            status = "bounced" if exc.code in REJECTED_NUMBER_CODES else "failed"
            return SmsResult(status, f"HTTP {exc.code} {_excerpt(exc.read())}")
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return SmsResult("failed", f"SMS provider unreachable: {reason}")


def _excerpt(body: bytes) -> str:
    return body.decode("utf-8", "replace").strip()[:200]


def get_sms_provider() -> SmsProvider:
    name = settings.PULSO_SMS_PROVIDER
    if name == "console":
        return ConsoleSmsProvider()
    if name == "http":
        if not settings.PULSO_SMS_HTTP_URL:
            raise ImproperlyConfigured("PULSO_SMS_PROVIDER=http needs PULSO_SMS_HTTP_URL")
        return HttpSmsProvider(settings.PULSO_SMS_HTTP_URL, settings.PULSO_SMS_HTTP_TOKEN)
    raise ImproperlyConfigured(f"PULSO_SMS_PROVIDER must be 'console' or 'http', not {name!r}")
