"""An email the application sends: plain text, one recipient, an id that survives retries."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class OutgoingEmail:
    """One message to send.

    `message_id` names the message, not the attempt: a handler derives it from the
    event it delivers, so a message sent again after a lost acknowledgement carries
    the same `Message-ID` header and mail systems can recognise the duplicate.
    """

    to: str
    subject: str
    body: str
    message_id: UUID
