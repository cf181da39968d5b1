from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _links(page: str) -> dict[str, tuple[str, bool]]:
    """The main navigation's links: address → (label, marked as the current page)."""
    nav = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', page, re.S)
    assert nav is not None
    return {
        href: (label, bool(current))
        for href, current, label in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav[1]
        )
    }


def _personal(page: str) -> list[str]:
    form = re.search(r'<form action="[^"]*" method="post" class="logout">(.*?)</form>', page, re.S)
    assert form is not None
    return re.findall(r'<a href="([^"]+)">', form[1])


def test_the_current_section_is_marked_and_labels_follow_the_language(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)
    explorer = reverse("metrics:explorer")
    page = client.get(explorer, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    links = _links(page)
    assert links[explorer][1] is True
    assert links[reverse("metrics:overview")] == ("Paneles", False)
    assert links[reverse("core:audit_log")] == ("Registro de auditoría", False)
    assert [href for href, (_, current) in links.items() if current] == [explorer]

    english = _links(client.get(explorer, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert english[reverse("metrics:overview")] == ("Dashboards", False)
    assert english[reverse("core:audit_log")] == ("Audit log", False)
    overview = _links(client.get(reverse("metrics:overview")).content.decode())
    assert overview[reverse("metrics:overview")][1] is True
    assert overview[explorer][1] is False


def test_guarded_links_show_only_to_who_may_follow_them(client: Client, personas: Personas) -> None:
    client.force_login(personas.store_manager)
    page = client.get(reverse("metrics:overview"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    links = _links(page)
    assert reverse("metrics:overview") in links and reverse("loop:list") in links
    assert reverse("core:audit_log") not in links  # the audit log is the administrators'
    assert reverse("admin:index") not in links  # not staff
    assert client.get(reverse("core:audit_log")).status_code == 403
    assert _personal(page) == [
        reverse("alerts:list"),
        reverse("recognitions:list"),
        reverse("reports:list"),
        reverse("api_tokens"),
    ]


def test_a_person_signed_out_gets_no_navigation(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert 'class="mainnav"' not in page and reverse("alerts:list") not in page
