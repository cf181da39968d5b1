"""What an invitation says: personal link, unsubscribe link, survey title, in the customer's
language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pulso.customers.links import unsubscribe_url
from pulso.surveys.models import Invitation


def absolute(path: str) -> str:
    return settings.PULSO_BASE_URL.rstrip("/") + path


def survey_url(invitation: Invitation) -> str:
    """The personal link (/s/i/<token>/), served by pulso.surveys.public_urls."""
    return absolute(reverse("public:invitation", args=[invitation.token]))


def survey_title(invitation: Invitation, language: str) -> str:
    version = invitation.survey.current_version
    if version is None:
        return invitation.survey.name
    if language == "en" and version.title_en:
        return version.title_en
    return version.title_es or invitation.survey.name


def invitation_context(invitation: Invitation, reminder: bool = False) -> dict[str, Any]:
    customer = invitation.customer
    language = customer.language or "es"
    return {
        "invitation": invitation,
        "customer": customer,
        "language": language,
        "is_reminder": reminder,
        "survey_title": survey_title(invitation, language),
        "survey_url": survey_url(invitation),
        "unsubscribe_url": unsubscribe_url(customer, invitation.pk),
        "company_name": settings.PULSO_COMPANY_NAME,
        "brand_color": settings.PULSO_BRAND_COLOR,
        "pixel_url": absolute(reverse("distribution:invitation_pixel", args=[invitation.token])),
    }


def render_in_language(template: str, context: dict[str, Any]) -> str:
    with translation.override(context["language"]):
        return render_to_string(template, context)


def sms_body(invitation: Invitation, reminder: bool = False) -> str:
    context = invitation_context(invitation, reminder)
    return " ".join(render_in_language("surveys/email/invitation_sms.txt", context).split())
