"""The daily digest: cases due and new negative comments of the manager's units, once a day."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from pulso.loop import actions, digest, notifications
from tests.conftest import Org, Personas
from tests.loop.conftest import Loop
from tests.loop.factories import ResponseFactory


def test_each_manager_gets_one_digest_a_day(org: Org, personas: Personas, loop: Loop) -> None:
    ResponseFactory(touchpoint=loop.touchpoint, org_unit=org.north_store, nps=1,
                    comment="La lavadora llegó con un golpe")  # fmt: skip
    ResponseFactory(touchpoint=loop.touchpoint, org_unit=org.south_store, nps=0,
                    comment="Comentario de otra región")  # fmt: skip
    opened = timezone.now() - timedelta(days=7)
    actions.do_open_case(title="Caso vencido", unit=org.north_store, priority="normal",
                         owner=loop.store_manager, now=opened)  # fmt: skip
    now = timezone.now()

    # Later the same local day, whatever the hour the test runs at.
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=0)
    digest.send_daily_digests(now)
    digest.send_daily_digests(min(now + timedelta(hours=1), end_of_day))
    notifications.send_due(now + timedelta(hours=2))

    mine = [m for m in mail.outbox if m.to == [loop.store_manager.email] and "Pulso:" in m.subject]
    assert len(mine) == 1
    assert "Caso vencido" in mine[0].body
    assert "La lavadora llegó con un golpe" in mine[0].body
    assert "otra región" not in mine[0].body
