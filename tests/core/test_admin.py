"""Every model is in the admin and its pages render."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Employee pulse invitations, responses and answers are read only through the suppressed
# results (a group below the threshold is never shown), so no admin page lists them.
WITHOUT_ADMIN = {"pulses.PulseInvitation", "pulses.PulseResponse", "pulses.PulseAnswer"}
PULSO_MODELS = [
    m
    for m in apps.get_models()
    if m.__module__.startswith("pulso.") and m._meta.label not in WITHOUT_ADMIN
]


def test_anonymous_pulse_answers_have_no_admin_pages() -> None:
    for label in WITHOUT_ADMIN:
        assert not admin.site.is_registered(apps.get_model(label))


@pytest.mark.parametrize("model", PULSO_MODELS, ids=lambda m: m._meta.label)
def test_every_model_has_admin_pages(client: Client, model: type) -> None:
    assert admin.site.is_registered(model)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    opts = model._meta  # type: ignore[attr-defined]
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
