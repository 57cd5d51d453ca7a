"""A throw-away SMTP server that keeps what it receives: aiosmtpd with its Maildir handler.

Used by `scripts/demo` whenever `SMTP_HOST` is not set, so the outbox's emails
land in a Maildir inside a temporary directory (removed on exit), where
`captured_emails` reads them back. It listens on loopback only and relays
nothing: no message leaves the machine.
"""

from __future__ import annotations

import mailbox
import re
import signal
import smtplib
import subprocess
import sys
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from devservers.processes import EmbeddedServer, free_port

# The sender the demo's emails carry; its domain is the right-hand side of their Message-IDs.
CAPTURE_SENDER = "noreply@demo.example"
READY_TIMEOUT_SECONDS = 15.0
SMTP_OK = 250
MAILDIR_NAME = re.compile(r"(\d+)\.M(\d+)P\d+Q(\d+)\.")


@dataclass(frozen=True)
class CapturedEmail:
    """One message as the capture server stored it."""

    sender: str
    to: str
    subject: str
    message_id: str
    body: str


class EmbeddedSmtp(EmbeddedServer):
    """Context manager owning one `python -m aiosmtpd` process that stores every message."""

    name = "the SMTP capture server"
    directory_prefix = "strata-smtp-"
    log_name = "smtp.log"
    # aiosmtpd turns SIGINT into an orderly close of its listener.
    stop_signal = signal.SIGINT
    ready_timeout = READY_TIMEOUT_SECONDS
    ready_interval = 0.1
    not_ready = "the SMTP capture server did not answer"

    @property
    def maildir(self) -> Path:
        return self.root / "maildir"

    @property
    def environment(self) -> dict[str, str]:
        """The SMTP_* settings that send Strata's mail here (plain SMTP: it is loopback)."""
        return {
            "SMTP_HOST": self.host,
            "SMTP_PORT": str(self.port),
            "SMTP_FROM": CAPTURE_SENDER,
            "SMTP_SECURITY": "none",
        }

    def captured(self) -> list[CapturedEmail]:
        """Every message received so far, oldest first."""
        return captured_emails(self.maildir)

    def _launch(self) -> bool:
        self.port = free_port()
        command = [
            sys.executable, "-m", "aiosmtpd",
            # We are never asked to drop privileges: the server holds only the demo's mail.
            "--nosetuid",
            "--listen", f"{self.host}:{self.port}",
            "--class", "aiosmtpd.handlers.Mailbox",
            str(self.maildir),
        ]  # fmt: skip
        with open(self._log_path, "ab") as log:
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, cwd=self.root,
                start_new_session=True,
            )  # fmt: skip
        return self._wait_until_ready()

    def _is_ready(self) -> bool:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=2) as probe:
                code, _ = probe.noop()
        except (OSError, smtplib.SMTPException):
            return False
        return code == SMTP_OK


def captured_emails(maildir: Path) -> list[CapturedEmail]:
    """The messages stored in `maildir`, in the order they were delivered (none if it is absent)."""
    if not maildir.is_dir():
        return []
    stored = mailbox.Maildir(maildir, create=False)
    return [_captured(stored[key]) for key in sorted(stored.keys(), key=_delivery_order)]


def _delivery_order(key: str) -> tuple[int, int, int]:
    # The standard library names each file "SECONDS.MMICROSECONDSPpidQCOUNT.host" as it
    # stores it: file times are too coarse to order messages that arrive together.
    named = MAILDIR_NAME.match(key)
    if named is None:
        raise ValueError(f"not a message stored by the capture server: {key}")
    seconds, microseconds, count = named.groups()
    return int(seconds), int(microseconds), int(count)


def _captured(message: Message) -> CapturedEmail:
    return CapturedEmail(
        sender=str(message["From"]),
        to=str(message["To"]),
        subject=str(message["Subject"]),
        message_id=str(message["Message-ID"]),
        body=_body_text(message),
    )


def _body_text(message: Message) -> str:
    payload = message.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text = payload.decode(message.get_content_charset() or "utf-8", errors="replace")
    # SMTP carries lines as CRLF; show them as the sender wrote them.
    return "\n".join(text.splitlines())
