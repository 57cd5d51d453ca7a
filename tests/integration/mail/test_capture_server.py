"""The scripts' SMTP capture server (an aiosmtpd subprocess): it keeps what SmtpEmailSender
sends, reads it back, stops cleanly, and gives way to a configured SMTP_HOST."""

from __future__ import annotations

import socket
from uuid import UUID, uuid4

import pytest
from returns.pipeline import is_successful

from core.mail.message import OutgoingEmail
from devservers.smtp import CAPTURE_SENDER, CapturedEmail, EmbeddedSmtp
from devservers.stack import smtp_target
from infra.mail.settings import SmtpSettings
from infra.mail.smtp import SmtpEmailSender

EVENT_ID = UUID("3f2c8a51-7a0e-4c4b-9d3e-5b6a7c8d9e0f")


def sender_for(server: EmbeddedSmtp) -> SmtpEmailSender:
    return SmtpEmailSender(SmtpSettings.model_validate(server.environment))


def test_a_message_sent_by_the_smtp_sender_is_read_back_with_its_headers_and_body() -> None:
    with EmbeddedSmtp() as server:
        sent = sender_for(server).send(
            OutgoingEmail(
                to="ada@example.com",
                subject="You are invited",
                body="Join us.\nThe token is with your inviter.\n",
                message_id=EVENT_ID,
            )
        )

        assert is_successful(sent)
        assert server.captured() == [
            CapturedEmail(
                sender=CAPTURE_SENDER,
                to="ada@example.com",
                subject="You are invited",
                message_id=f"<{EVENT_ID}@demo.example>",
                body="Join us.\nThe token is with your inviter.",
            )
        ]


def test_messages_are_read_back_in_the_order_they_arrived() -> None:
    recipients = [f"user{index}@example.com" for index in range(5)]
    with EmbeddedSmtp() as server:
        sender = sender_for(server)
        for recipient in recipients:
            email = OutgoingEmail(to=recipient, subject="Hi", body="Hi.\n", message_id=uuid4())
            assert is_successful(sender.send(email))

        assert [email.to for email in server.captured()] == recipients


def test_a_stopped_server_refuses_connections_and_leaves_no_files() -> None:
    server = EmbeddedSmtp()
    server.start()
    root, port = server.root, server.port

    server.stop()

    assert not root.exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_the_stack_starts_a_capture_server_when_no_smtp_host_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)

    with smtp_target() as target:
        assert target.capture is not None
        assert target.environment == target.capture.environment
        assert target.environment["SMTP_HOST"] == "127.0.0.1"


def test_the_stack_sends_mail_to_a_configured_smtp_host_and_starts_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMTP_HOST", "mail.internal.example")

    with smtp_target() as target:
        assert target.capture is None
        assert target.environment == {}
