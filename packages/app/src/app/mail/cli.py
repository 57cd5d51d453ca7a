"""`strata mail test ADDRESS`: send one message through the configured SMTP server.

Operators run it once after setting `SMTP_*`, before the outbox sends anything:
it exercises the same sender, TLS and credentials as the invitation emails.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from returns.io import IOResult

from app import bootstrap
from app.terminal import show, value_of
from core.email import normalize_email
from core.mail.message import OutgoingEmail

mail_app = typer.Typer(help="Outgoing mail through the SMTP_* settings.", no_args_is_help=True)

SUBJECT = "Strata: SMTP settings work"
BODY = "This message was sent by `strata mail test` to check the SMTP settings.\n"


@mail_app.command("test")
def send_test(
    to: Annotated[str, typer.Argument(help="Where to send the test message.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Send a test message; exit 1 when the server is unreachable, 9 when it refuses."""
    address = value_of_address(to)
    email = OutgoingEmail(to=address, subject=SUBJECT, body=BODY, message_id=uuid.uuid4())
    value_of(bootstrap.email_sender().send(email))
    show(
        f"sent to {address} (message {email.message_id})",
        {"to": address, "message_id": email.message_id},
        as_json=as_json,
    )


def value_of_address(raw: str) -> str:
    """The normalized address; an unusable one ends the command as invalid input (3)."""
    return value_of(IOResult.from_result(normalize_email(raw)))
