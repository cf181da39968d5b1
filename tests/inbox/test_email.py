"""The email channel against real servers on the loopback interface: Dovecot (IMAP) holds the
customer's mail, aiosmtpd receives the agent's reply over SMTP."""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

from pulso.feedback.models import Feedback
from pulso.inbox import mail
from pulso.inbox.actions import do_reply
from pulso.inbox.models import Article, Conversation, Message
from tests.factories import UserFactory

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "atencion", "buzon-secreto-1"
CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = {uid}
default_login_user = dovenull
default_internal_user = dovecot
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture
def imap_server() -> Iterator[int]:
    """A Dovecot of its own (config, users and mail in a temporary folder) on a free port."""
    if not Path(DOVECOT).exists() or os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("Dovecot (apt dovecot-imapd) and root are needed; CI must install it.")
        pytest.skip("Dovecot not installed, or not root")
    root = Path(tempfile.mkdtemp(prefix="pulso-imap-"))
    root.chmod(0o755)
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir(mode=0o755)
        shutil.chown(root / sub, "nobody", "nogroup")
    shutil.chown(root / "run", "root", "root")
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, uid=65534, gid=65534, port=port))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)])
    try:
        _wait_for(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[bytes]]]:
    from aiosmtpd.controller import Controller

    received: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope.content)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller.port, received
    finally:
        controller.stop()


def _deliver(port: int, message: EmailMessage) -> None:
    """What the company's mail server does: put the customer's mail in the mailbox."""
    with imaplib.IMAP4("127.0.0.1", port) as client:
        client.login(USER, PASSWORD)
        client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), message.as_bytes())


def _mail(subject: str, text: str, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Marta Ruiz <marta@example.com>"
    message["To"] = "atencion@electrohogar.example"
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


def test_incoming_mail_becomes_a_conversation_and_the_reply_is_sent(
    imap_server: int, smtp_server: tuple[int, list[bytes]], settings: Any,
    knowledge: list[Article], django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    smtp_port, received = smtp_server
    settings.PULSO_INBOX_IMAP_HOST = "127.0.0.1"
    settings.PULSO_INBOX_IMAP_PORT = imap_server
    settings.PULSO_INBOX_IMAP_SSL = False
    settings.PULSO_INBOX_IMAP_USER, settings.PULSO_INBOX_IMAP_PASSWORD = USER, PASSWORD
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    settings.DEFAULT_FROM_EMAIL = "ElectroHogar <atencion@electrohogar.example>"

    _deliver(imap_server, _mail("Lavadora sin instalar", "¿A qué hora abrís? El técnico no "
                                "vino a instalar la lavadora."))  # fmt: skip
    assert mail.fetch_new_mail() == 1
    assert mail.fetch_new_mail() == 0  # read once: the mail is marked seen
    conversation = Conversation.objects.get()
    assert (conversation.channel, conversation.email, conversation.name) == (
        "email", "marta@example.com", "Marta Ruiz")  # fmt: skip
    assert conversation.status == Conversation.Status.WAITING  # mail waits for a person
    assert list(conversation.messages.values_list("sender", flat=True)) == ["customer"]
    record = Feedback.objects.get(source="email")
    assert "El técnico no vino" in record.text and record.channel == "email"

    with django_capture_on_commit_callbacks(execute=True):
        reply = do_reply(conversation, UserFactory(), "Hola Marta, le llamamos hoy para dar cita.")
    assert len(received) == 1
    sent = BytesParser(policy=default_policy).parsebytes(received[0])
    assert sent["To"] == "marta@example.com"
    assert sent["Subject"] == f"Re: Lavadora sin instalar [#{conversation.pk}]"
    assert sent["Message-ID"] == reply.email_id
    assert "le llamamos hoy" in sent.get_content()

    answer = _mail(f"Re: Lavadora sin instalar [#{conversation.pk}]", "Gracias, estaré en casa.",
                   In_Reply_To=reply.email_id)  # fmt: skip
    _deliver(imap_server, answer)
    assert mail.fetch_new_mail() == 1
    assert Conversation.objects.count() == 1  # the answer joins the same conversation
    assert conversation.messages.last().text == "Gracias, estaré en casa."  # type: ignore[union-attr]
    assert conversation.messages.filter(sender=Message.Sender.CUSTOMER).count() == 2
