"""The admin pages of the inbox's models load for a superuser."""

from __future__ import annotations

import pytest
from django.test import Client

from pulso.inbox.actions import do_hand_over, do_save_canned_answer, do_start_conversation
from pulso.inbox.models import ExternalChannel
from tests.conftest import Org
from tests.factories import UserFactory

MODELS = ["cannedanswer", "conversationevent", "externalchannel", "notice", "outboundmessage"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_pages_load(client: Client, org: Org, model: str) -> None:
    ExternalChannel.objects.create(slug="whatsapp", name="WhatsApp", secret="s")
    do_save_canned_answer(actor=None, title="Saludo", text="Hola", language="es")
    conversation = do_start_conversation("email", email="lucia@example.com")
    do_hand_over(conversation, actor=None, unit=org.contact_centre, note="Para vosotros")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    listing = client.get(f"/admin/inbox/{model}/")
    assert listing.status_code == 200
    if model in ("cannedanswer", "externalchannel"):
        assert client.get(f"/admin/inbox/{model}/add/").status_code == 200
