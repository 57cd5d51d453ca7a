"""A real SMTP server (aiosmtpd) on a free loopback port, with a CA for its TLS certificate."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from infra.mail.settings import SmtpSecurity, SmtpSettings

SENDER = "noreply@strata.example"
REFUSED_RECIPIENT = "nobody@strata.example"
BUSY_RECIPIENT = "busy@strata.example"
USERNAME, PASSWORD = "relay-user", "relay-secret"


@dataclass
class Mailbox:
    """What the server accepted, and the replies it gives to special recipients."""

    received: list[Message] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook names
        self, server: Any, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address == REFUSED_RECIPIENT:
            return "550 5.1.1 no such mailbox"
        if address == BUSY_RECIPIENT:
            return "450 4.2.1 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook names
        self, server: Any, session: Session, envelope: Envelope
    ) -> str:
        assert isinstance(envelope.content, bytes)
        self.received.append(message_from_bytes(envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _accept_only(username: str, password: str) -> Callable[..., AuthResult]:
    def authenticate(
        server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            username.encode(),
            password.encode(),
        )
        return AuthResult(success=ok, handled=False)

    return authenticate


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(certificate_authority: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("smtp-ca") / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture(scope="module")
def server_tls(certificate_authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("localhost").configure_cert(context)
    return context


@dataclass
class RunningServer:
    mailbox: Mailbox
    port: int


def _serve(**smtp_options: Any) -> Iterator[RunningServer]:
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="localhost", port=port, **smtp_options)
    controller.start()
    try:
        yield RunningServer(mailbox, port)
    finally:
        controller.stop()


@pytest.fixture
def plain_server() -> Iterator[RunningServer]:
    yield from _serve()


@pytest.fixture
def starttls_server(server_tls: ssl.SSLContext) -> Iterator[RunningServer]:
    """Submission-style: STARTTLS required, and credentials required over it."""
    yield from _serve(
        tls_context=server_tls,
        require_starttls=True,
        auth_required=True,
        authenticator=_accept_only(USERNAME, PASSWORD),
    )


def settings_for(port: int, **overrides: Any) -> SmtpSettings:
    values: dict[str, Any] = {
        "SMTP_HOST": "localhost",
        "SMTP_PORT": port,
        "SMTP_FROM": SENDER,
        "SMTP_SECURITY": SmtpSecurity.NONE,
        "SMTP_TIMEOUT": 5,
    }
    return SmtpSettings.model_validate(values | overrides)


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on (bound and released: nothing else took it in between)."""
    return _free_port()
