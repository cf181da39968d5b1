from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from pulso.surveys.models import Branding


def branding(request: HttpRequest) -> dict[str, str]:
    """The company's name and colour (from the Branding row, else from settings)."""
    saved = Branding.current()
    return {
        "company_name": saved.company_name or settings.PULSO_COMPANY_NAME,
        "brand_color": saved.color or settings.PULSO_BRAND_COLOR,
    }
