"""SmtpEmailSender against a real SMTP server: delivery, refusals, outages, TLS and credentials."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io

from app.terminal import ExitCode
from core.mail.message import OutgoingEmail
from core.mail.ports import MailServerUnavailable, MessageRefused, SendFailure
from infra.mail.settings import SmtpSecurity
from infra.mail.smtp import SmtpEmailSender
from tests.integration.cli_runner import run_strata
from tests.integration.mail.conftest import (
    BUSY_RECIPIENT,
    PASSWORD,
    REFUSED_RECIPIENT,
    SENDER,
    USERNAME,
    RunningServer,
    settings_for,
)

EVENT_ID = UUID("7d0f4b7e-6a55-4c1e-9a8e-0a1b2c3d4e5f")


def email_to(address: str, message_id: UUID = EVENT_ID) -> OutgoingEmail:
    return OutgoingEmail(
        to=address, subject="You are invited", body="Join us.\n", message_id=message_id
    )


def failure_of(sender: SmtpEmailSender, email: OutgoingEmail) -> SendFailure:
    sent = sender.send(email)
    assert not is_successful(sent)
    failure: SendFailure = unsafe_perform_io(sent.failure())
    return failure


def test_an_accepted_message_arrives_with_a_message_id_derived_from_its_id(
    plain_server: RunningServer,
) -> None:
    sender = SmtpEmailSender(settings_for(plain_server.port))

    sent = sender.send(email_to("ada@example.com"))

    assert is_successful(sent)
    (message,) = plain_server.mailbox.received
    assert message["To"] == "ada@example.com"
    assert message["From"] == SENDER
    assert message["Subject"] == "You are invited"
    assert message["Message-ID"] == f"<{EVENT_ID}@strata.example>"
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert body.splitlines() == [b"Join us."]  # SMTP carries lines as CRLF


def test_a_message_sent_twice_carries_the_same_message_id_both_times(
    plain_server: RunningServer,
) -> None:
    sender = SmtpEmailSender(settings_for(plain_server.port))

    sender.send(email_to("ada@example.com"))
    sender.send(email_to("ada@example.com"))
    sender.send(email_to("ada@example.com", message_id=uuid4()))

    ids = [message["Message-ID"] for message in plain_server.mailbox.received]
    assert ids[0] == ids[1] != ids[2]


def test_a_recipient_refused_for_good_is_a_refusal_with_the_servers_reply(
    plain_server: RunningServer,
) -> None:
    failure = failure_of(
        SmtpEmailSender(settings_for(plain_server.port)), email_to(REFUSED_RECIPIENT)
    )

    assert failure == MessageRefused("550 5.1.1 no such mailbox")
    assert plain_server.mailbox.received == []


def test_a_recipient_the_server_asks_to_retry_later_is_an_outage_not_a_refusal(
    plain_server: RunningServer,
) -> None:
    failure = failure_of(SmtpEmailSender(settings_for(plain_server.port)), email_to(BUSY_RECIPIENT))

    assert failure == MailServerUnavailable("450 4.2.1 mailbox busy, try later")


def test_a_server_that_is_not_listening_is_an_outage(closed_port: int) -> None:
    failure = failure_of(SmtpEmailSender(settings_for(closed_port)), email_to("ada@example.com"))

    assert isinstance(failure, MailServerUnavailable)
    assert "ConnectionRefusedError" in failure.reason


def test_starttls_with_credentials_delivers_through_a_server_that_requires_both(
    starttls_server: RunningServer, ca_file: Path
) -> None:
    settings = settings_for(
        starttls_server.port,
        SMTP_SECURITY=SmtpSecurity.STARTTLS,
        SMTP_CA_FILE=str(ca_file),
        SMTP_USERNAME=USERNAME,
        SMTP_PASSWORD=PASSWORD,
    )

    assert is_successful(SmtpEmailSender(settings).send(email_to("ada@example.com")))
    assert len(starttls_server.mailbox.received) == 1


def test_a_server_certificate_from_an_unknown_authority_is_refused_before_credentials_are_sent(
    starttls_server: RunningServer,
) -> None:
    settings = settings_for(
        starttls_server.port,
        SMTP_SECURITY=SmtpSecurity.STARTTLS,
        SMTP_USERNAME=USERNAME,
        SMTP_PASSWORD=PASSWORD,
    )

    failure = failure_of(SmtpEmailSender(settings), email_to("ada@example.com"))

    assert isinstance(failure, MailServerUnavailable)
    assert "CERTIFICATE_VERIFY_FAILED" in failure.reason
    assert starttls_server.mailbox.received == []


def test_wrong_credentials_are_a_refusal(starttls_server: RunningServer, ca_file: Path) -> None:
    settings = settings_for(
        starttls_server.port,
        SMTP_SECURITY=SmtpSecurity.STARTTLS,
        SMTP_CA_FILE=str(ca_file),
        SMTP_USERNAME=USERNAME,
        SMTP_PASSWORD="not-the-password",
    )

    failure = failure_of(SmtpEmailSender(settings), email_to("ada@example.com"))

    assert isinstance(failure, MessageRefused)
    assert failure.reason.startswith("535")


def test_credentials_without_tls_are_refused_by_the_settings() -> None:
    with pytest.raises(ValidationError, match="SMTP credentials need SMTP_SECURITY"):
        settings_for(25, SMTP_USERNAME=USERNAME, SMTP_PASSWORD=PASSWORD)


def test_strata_mail_test_sends_through_the_configured_server(plain_server: RunningServer) -> None:
    done = run_strata(
        *MAIL_TEST, "Ada@Example.com", "--json", **smtp_environment(plain_server.port)
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["to"] == "ada@example.com"
    (message,) = plain_server.mailbox.received
    assert message["To"] == "ada@example.com"


def test_strata_mail_test_names_a_refusal_and_exits_with_its_code(
    plain_server: RunningServer,
) -> None:
    done = run_strata(*MAIL_TEST, REFUSED_RECIPIENT, **smtp_environment(plain_server.port))

    assert done.returncode == ExitCode.REFUSED_BY_MAIL_SERVER
    assert done.stderr.strip().endswith("refused by the mail server: 550 5.1.1 no such mailbox")


def test_strata_mail_test_reports_an_unreachable_server_in_one_line(closed_port: int) -> None:
    done = run_strata(*MAIL_TEST, "ada@example.com", **smtp_environment(closed_port))

    assert done.returncode == ExitCode.FAILURE
    assert len(done.stderr.strip().splitlines()) == 1
    assert "mail server unavailable" in done.stderr


MAIL_TEST = ("mail", "test")


def smtp_environment(port: int) -> dict[str, str]:
    return {"SMTP_HOST": "localhost", "SMTP_PORT": str(port), "SMTP_FROM": SENDER}
