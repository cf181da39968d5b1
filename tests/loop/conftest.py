"""Fixtures of the closed-loop tests: a touchpoint owned by the north store, its managers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pulso.accounts.models import Role
from pulso.journeys.models import Touchpoint
from tests.conftest import Org, Personas
from tests.factories import MembershipFactory, TouchpointFactory, UserFactory


@dataclass
class Loop:
    touchpoint: Touchpoint
    store_manager: Any
    region_manager: Any
    company_manager: Any


@pytest.fixture
def loop(org: Org, personas: Personas) -> Loop:
    """``personas.store_manager`` manages the north store; the north region and the company
    have their own managers, so escalation has two levels to climb."""
    region_manager = MembershipFactory(
        user=UserFactory(username="region"), unit=org.north, role=Role.UNIT_MANAGER
    ).user
    company_manager = MembershipFactory(
        user=UserFactory(username="ceo"), unit=org.company, role=Role.UNIT_MANAGER
    ).user
    touchpoint = TouchpointFactory(name="Entrega a domicilio", owner_unit=org.north_store)
    return Loop(touchpoint, personas.store_manager, region_manager, company_manager)


class Receiver:
    """Answers with the queued status codes (then 200) and records every request."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.requests: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
