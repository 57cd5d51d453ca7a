"""The EmailSender port and what can go wrong when sending."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from returns.io import IOResult

from core.mail.message import OutgoingEmail


@dataclass(frozen=True)
class MailServerUnavailable:
    """The mail server could not be reached or asked to try later (4xx): worth retrying."""

    reason: str


@dataclass(frozen=True)
class MessageRefused:
    """The mail server refused the message for good (5xx): retrying will not help."""

    reason: str


SendFailure = MailServerUnavailable | MessageRefused


class EmailSender(Protocol):
    """Hands messages to a mail server."""

    def send(self, email: OutgoingEmail) -> IOResult[None, SendFailure]:
        """Send `email`; a success means the server accepted it for delivery."""
        ...
