"""How `strata` ends: results on stdout, expected failures as one line on stderr, never a
traceback, and one documented exit code per kind of failure (`EXIT_CODES`, `FAILURES`).

Every command leaves through `os._exit` once its output is flushed: the
Temporal client's native threads can still be running while the interpreter
finalizes, which aborts the process with SIGABRT after the command has
already succeeded (temporalio/sdk-python#300). By then every engine is
disposed and every file closed, so skipping finalization loses nothing.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum
from types import FrameType
from typing import Annotated, Any, Final, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from returns.io import IOResult
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io

from app.errors import OperatorError, UseCaseRefusedError
from core.domains.auth.errors import InvalidSessionLifetime
from core.domains.domain_events.errors import NotDeadLettered, VersionConflict
from core.domains.idempotency.errors import IdempotencyKeyReused, InvalidIdempotencyKey
from core.domains.invitations.errors import (
    EmailAlreadyRegistered,
    InvalidInvitationLifetime,
    InvitationExpired,
    InvitationNotPending,
)
from core.domains.organizations.errors import BlankOrganizationName
from core.domains.users.errors import BlankDisplayName
from core.email import InvalidEmail
from core.errors import Conflict, DatabaseUnavailable, InvalidRow, NotFound, RuleViolated
from core.json import JsonObject
from core.mail.ports import MailServerUnavailable, MessageRefused
from core.use_cases.idempotent import Replayed

T = TypeVar("T")

IdempotencyKeyOption = Annotated[
    str | None,
    typer.Option(
        "--idempotency-key",
        help="Run at most once per key: a repeat of the same request prints the first "
        "run's result and writes nothing; the key with another request is refused (exit 5).",
    ),
]


class ExitCode(IntEnum):
    """What a script can tell from `strata`'s exit status (the README lists them)."""

    OK = 0
    # Configuration or infrastructure: invalid settings, PostgreSQL or Temporal unreachable.
    FAILURE = 1
    # A command line typer refused (unknown option, missing argument, malformed value).
    USAGE = 2
    INVALID_INPUT = 3
    NOT_FOUND = 4
    CONFLICT = 5
    INVITATION_EXPIRED = 6
    INVITATION_NOT_PENDING = 7
    REFUSED_BY_DATABASE = 8
    REFUSED_BY_MAIL_SERVER = 9
    EVENT_NOT_FAILED = 10
    INTERRUPTED = 130


@dataclass(frozen=True)
class FailureLine:
    """How one kind of use-case failure ends a command."""

    exit_code: ExitCode
    describe: Callable[[Any], str]


FAILURES: Final[Mapping[type, FailureLine]] = {
    InvalidEmail: FailureLine(
        ExitCode.INVALID_INPUT, lambda e: f"{e.value!r} is not an email address"
    ),
    BlankOrganizationName: FailureLine(
        ExitCode.INVALID_INPUT, lambda e: "an organization needs a name"
    ),
    BlankDisplayName: FailureLine(ExitCode.INVALID_INPUT, lambda e: "a user needs a display name"),
    InvalidInvitationLifetime: FailureLine(
        ExitCode.INVALID_INPUT,
        lambda e: f"an invitation must expire after it is sent, not {e.lifetime}",
    ),
    InvalidSessionLifetime: FailureLine(
        ExitCode.INVALID_INPUT, lambda e: f"a session must expire after it starts, not {e.lifetime}"
    ),
    InvalidIdempotencyKey: FailureLine(
        ExitCode.INVALID_INPUT,
        lambda e: (
            f"{e.value!r} is not an idempotency key "
            "(1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit)"
        ),
    ),
    NotFound: FailureLine(ExitCode.NOT_FOUND, lambda e: f"not found: {e.entity} {e.key}"),
    EmailAlreadyRegistered: FailureLine(
        ExitCode.CONFLICT, lambda e: f"{e.email} already belongs to a user"
    ),
    Conflict: FailureLine(ExitCode.CONFLICT, lambda e: f"already exists: {e.detail}"),
    IdempotencyKeyReused: FailureLine(
        ExitCode.CONFLICT,
        lambda e: (
            f"idempotency key {e.key} was already used for a different {e.command} "
            "request; use a new key for a new request"
        ),
    ),
    VersionConflict: FailureLine(
        ExitCode.CONFLICT,
        lambda e: f"{e.aggregate_type} {e.aggregate_id} changed meanwhile; run the command again",
    ),
    InvitationExpired: FailureLine(
        ExitCode.INVITATION_EXPIRED,
        lambda e: f"invitation {e.invitation_id} expired at {e.expires_at.isoformat()}",
    ),
    InvitationNotPending: FailureLine(
        ExitCode.INVITATION_NOT_PENDING,
        lambda e: f"invitation {e.invitation_id} is {e.status}, no longer pending",
    ),
    RuleViolated: FailureLine(
        ExitCode.REFUSED_BY_DATABASE,
        lambda e: f"refused by the database ({e.constraint}): {e.detail}",
    ),
    DatabaseUnavailable: FailureLine(
        ExitCode.FAILURE, lambda e: f"database unavailable: {e.detail}"
    ),
    InvalidRow: FailureLine(ExitCode.FAILURE, lambda e: f"unreadable row in {e.table}: {e.detail}"),
    MailServerUnavailable: FailureLine(
        ExitCode.FAILURE, lambda e: f"mail server unavailable: {e.reason}"
    ),
    MessageRefused: FailureLine(
        ExitCode.REFUSED_BY_MAIL_SERVER, lambda e: f"refused by the mail server: {e.reason}"
    ),
    NotDeadLettered: FailureLine(
        ExitCode.EVENT_NOT_FAILED,
        lambda e: (
            f"domain event {e.event_id} is {e.status}, not failed: only a dead letter "
            "can be retried"
        ),
    ),
}


def value_of(result: IOResult[T, Any]) -> T:
    """The use case's value; its failure ends the command through `FAILURES`."""
    if is_successful(result):
        return unsafe_perform_io(result.unwrap())
    raise UseCaseRefusedError(unsafe_perform_io(result.failure()))


def view_of(outcome: T | Replayed, view: Callable[[T], JsonObject]) -> JsonObject:
    """What a command prints: `view` of its value, or on a repeat the view its first run stored.

    A replay says so on stderr, so stdout stays exactly what the first run printed.
    """
    if isinstance(outcome, Replayed):
        _report(
            f"idempotency key {outcome.key}: replaying the result of its first run "
            f"({outcome.first_run_at.isoformat()}); nothing was written"
        )
        return outcome.result
    return view(outcome)


def show(text: str, data: Mapping[str, object], *, as_json: bool) -> None:
    """Print a result: one line for people, or one JSON object for scripts."""
    typer.echo(json.dumps(data, indent=2, default=str) if as_json else text)


def run_guarded(app: typer.Typer) -> NoReturn:
    code = _exit_code_of(app)
    _leave(code)


def _exit_code_of(app: typer.Typer) -> int:
    try:
        app()
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else ExitCode.FAILURE
    except OperatorError as error:
        _report(str(error))
        return ExitCode.FAILURE
    except ValidationError as error:
        _report(f"invalid configuration: {_summarize(error)}")
        return ExitCode.FAILURE
    except UseCaseRefusedError as refused:
        line = FAILURES[type(refused.failure)]
        _report(line.describe(refused.failure))
        return line.exit_code
    return ExitCode.OK


@contextmanager
def exit_on_interrupt(message: str) -> Iterator[None]:
    """Make Ctrl-C end a command that waits on Temporal at once, saying what keeps running.

    asyncio cancels its main task on the first SIGINT, and a cancelled wait on
    the Temporal client can be retried rather than abandoned; a client-side
    wait has nothing to clean up, so it stops here instead.
    """

    def interrupted(signum: int, frame: FrameType | None) -> None:
        _report(message)
        _leave(ExitCode.INTERRUPTED)

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _summarize(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    )


def _report(message: str) -> None:
    print(f"strata: {message}", file=sys.stderr)


def _leave(code: int) -> NoReturn:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
