from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def branding(request: HttpRequest) -> dict[str, str]:
    return {
        "company_name": settings.PULSO_COMPANY_NAME,
        "brand_color": settings.PULSO_BRAND_COLOR,
    }
