from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from pulso.accounts.models import OrgUnit
from pulso.cli import main
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback
from pulso.journeys.models import Journey, Touchpoint
from pulso.loop.models import Case
from pulso.surveys.models import Invitation, Response, Survey

pytestmark = pytest.mark.django_db


def test_help_lists_pulso_commands(capsys: pytest.CaptureFixture[str]) -> None:
    main(["pulso", "--help"])
    out = capsys.readouterr().out
    for command in ["demo", "serve", "worker", "migrate", "createadmin"]:
        assert f"  {command} " in out


def test_demo_no_serve_loads_the_company_and_prints_credentials(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    password = out.split("Password:")[1].split()[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(password) and admin.is_superuser
    assert OrgUnit.objects.filter(kind="store").count() == 40
    assert OrgUnit.objects.filter(kind="region").count() == 5
    assert OrgUnit.objects.filter(kind="contact_centre").count() == 1
    assert Survey.objects.filter(status="live").count() == Touchpoint.objects.count()
    assert Response.objects.count() > 4_000
    assert Response.objects.exclude(comment="").count() > 2_000
    assert Customer.objects.count() >= 10_000
    assert Invitation.objects.filter(status="answered").exists()
    assert Invitation.objects.exclude(status="answered").count() > 0
    sources = set(Feedback.objects.values_list("source", flat=True))
    assert {"survey", "review", "social", "contact_centre", "audit", "chat"} <= sources
    # The demo never writes answers from the future (its last day is today, up to now).
    now = timezone.now()
    assert not Feedback.objects.filter(received_at__gt=now).exists()
    assert not Response.objects.filter(submitted_at__gt=now).exists()
    assert not Case.objects.filter(created_at__gt=now).exists()
    assert not Case.objects.filter(closed_at__gt=now).exists()
    # Each response is recorded as one feedback record holding its comment and score.
    assert Feedback.objects.filter(source="survey").count() == Response.objects.count()
    assert not Response.objects.exclude(comment=F("feedback__text")).exists()
    assert not Response.objects.exclude(nps=F("feedback__nps")).exists()
    names = set(Journey.objects.values_list("name", flat=True))
    assert {
        "Compra en tienda",
        "Compra online",
        "Entrega e instalación",
        "Servicio técnico / garantía",
        "Seguro de electrodomésticos",
    } <= names
    for journey in Journey.objects.all():
        count = Touchpoint.objects.filter(stage__journey=journey).count()
        assert 4 <= count <= 7, journey.name
    assert Touchpoint.objects.filter(is_moment_of_truth=True).exists()


def test_demo_is_idempotent_and_keeps_the_admin_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo", "--no-serve")
    password = capsys.readouterr().out.split("Password:")[1].split()[0]
    call_command("demo", "--no-serve")
    again = capsys.readouterr().out
    assert OrgUnit.objects.filter(kind="store").count() == 40
    assert Journey.objects.filter(name="Compra online").count() == 1
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert password not in again
    assert "pulso createadmin --username admin" in again  # how to set a new one


def test_createadmin_with_password(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("createadmin", "--username", "jefa", "--password", "s3guro-y-largo")
    user = get_user_model().objects.get(username="jefa")
    assert user.is_superuser and user.check_password("s3guro-y-largo")
    assert "s3guro-y-largo" not in capsys.readouterr().out


def test_createadmin_refuses_a_short_password() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="8 characters"):
        call_command("createadmin", "--username", "x", "--password", "corta")
