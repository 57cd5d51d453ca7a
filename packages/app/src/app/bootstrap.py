"""The composition root: the one place that wires infra.db and Temporal into the application.

It builds the runtime engine, the unit of work (whose repositories are bound
per transaction), the retention and outbox ports and the Temporal client, each when a
command asks for it and never at import time; every engine is disposed when
its command is done. The rest of app reaches infra.db only through here
(import-linter: only-bootstrap-wires-infra).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError
from returns.io import IOFailure, IOResult
from temporalio.client import Client
from temporalio.runtime import Runtime

from app import temporal_connection
from app.errors import OperatorError
from app.settings import TemporalSettings
from core.clock import Clock, SystemClock
from core.domains.domain_events.ports import (
    CommitWakeups,
    DomainEventOutbox,
    OutboxTransactions,
)
from core.domains.idempotency.errors import IdempotencyError
from core.errors import PersistenceError
from core.json import JsonObject
from core.mail.message import OutgoingEmail
from core.mail.ports import EmailSender, MailServerUnavailable, SendFailure
from core.retention.ports import RetentionLedger, RetentionSettingsReader, RetentionTarget
from core.unit_of_work import UnitOfWork
from core.use_cases.idempotent import Replayed, run_idempotently
from infra.db.connectivity import DatabaseUnavailableError
from infra.db.engine import runtime_engine
from infra.db.env import DatabaseSettings, MissingOwnerUrlError
from infra.db.provider import SqlUnitOfWork
from infra.db.repositories.commit_wakeups import listening_for_commits
from infra.db.repositories.domain_events import SqlDomainEventStore
from infra.db.repositories.retention import (
    SqlRetentionLedger,
    SqlRetentionSettingsReader,
    retention_targets,
)
from infra.db.retention import reconcile_sql
from infra.db.transactions import TransactionScope, engine_transaction, run_in_transaction
from infra.mail.settings import SmtpSettings
from infra.mail.smtp import SmtpEmailSender

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

CommitListener = Callable[[], AbstractContextManager[IOResult[CommitWakeups, PersistenceError]]]
INFRASTRUCTURE_FAILURES = (DatabaseUnavailableError, MissingOwnerUrlError)

Command = TypeVar("Command")
CommandRecord = TypeVar("CommandRecord", bound="DataclassInstance")
Value = TypeVar("Value")
Failure = TypeVar("Failure")


@dataclass(frozen=True)
class SqlOutboxTransactions(OutboxTransactions):
    """The outbox port, bound per transaction: `run(work)` commits what `work` did if it
    succeeded."""

    scope: TransactionScope

    def run(
        self, work: Callable[[DomainEventOutbox], IOResult[Value, Failure]]
    ) -> IOResult[Value, Failure | PersistenceError]:
        return run_in_transaction(
            self.scope, lambda connection: work(SqlDomainEventStore(connection))
        )


@dataclass(frozen=True)
class Ports:
    """Every port the features reach the database through, on one runtime-role engine."""

    unit_of_work: UnitOfWork
    retention_settings: RetentionSettingsReader
    retention_targets: Mapping[str, RetentionTarget]
    retention_ledger: RetentionLedger
    outbox: OutboxTransactions
    commit_listener: CommitListener
    email: EmailSender


@contextmanager
def ports(
    database: DatabaseSettings | None = None, smtp: SmtpSettings | None = None
) -> Iterator[Ports]:
    """The ports on a runtime-role engine (DATABASE_URL unless given), disposed on exit;
    mail goes through `smtp` (the SMTP_* settings unless given)."""
    engine = runtime_engine(database or DatabaseSettings())
    try:
        yield Ports(
            unit_of_work=SqlUnitOfWork.on_engine(engine),
            retention_settings=SqlRetentionSettingsReader.on_engine(engine),
            retention_targets=retention_targets(engine),
            retention_ledger=SqlRetentionLedger.on_engine(engine),
            outbox=SqlOutboxTransactions(engine_transaction(engine)),
            commit_listener=partial(listening_for_commits, engine),
            email=SmtpEmailSender(smtp) if smtp is not None else outbox_email_sender(),
        )
    finally:
        engine.dispose()


def run_use_case(
    use_case: Callable[[UnitOfWork, Clock, Command], IOResult[Value, Failure]],
    command: Command,
    database: DatabaseSettings | None = None,
) -> IOResult[Value, Failure]:
    """Run one use case on the wall clock, in its own unit of work on a fresh engine."""
    with ports(database) as wired:
        return use_case(wired.unit_of_work, SystemClock(), command)


def run_command(
    use_case: Callable[[UnitOfWork, Clock, CommandRecord], IOResult[Value, Failure]],
    command: CommandRecord,
    *,
    idempotency_key: str | None,
    encode: Callable[[Value], JsonObject],
) -> IOResult[Value | Replayed, Failure | IdempotencyError | PersistenceError]:
    """A CLI command's use case: once per idempotency key when one is given (`encode` makes
    the JSON a repeat replays), otherwise simply run."""
    if idempotency_key is None:
        ran: IOResult[Value | Replayed, Failure | IdempotencyError | PersistenceError] = (
            run_use_case(use_case, command)
        )
        return ran
    with ports() as wired:
        return run_idempotently(
            use_case,
            wired.unit_of_work,
            SystemClock(),
            command,
            key=idempotency_key,
            encode=encode,
        )


def run_outbox(
    work: Callable[[DomainEventOutbox], IOResult[Value, Failure]],
) -> IOResult[Value, Failure | PersistenceError]:
    """Run an operator's `work` on the outbox in one transaction, on a fresh engine."""
    with ports() as wired:
        return wired.outbox.run(work)


@contextmanager
def operator_errors() -> Iterator[None]:
    """Re-raise infrastructure failures as OperatorError, keeping their one-line message."""
    try:
        yield
    except INFRASTRUCTURE_FAILURES as error:
        raise OperatorError(str(error)) from error


# Alembic is imported by the commands that use it, not at every `strata` start (where it
# cost about a third of a second, paid again by every command and every CLI test).


def migrate_database() -> None:
    from infra.db import maintenance  # noqa: PLC0415  # see above

    with operator_errors():
        maintenance.migrate(DatabaseSettings())


def apply_desired_state() -> list[Path]:
    from infra.db import maintenance  # noqa: PLC0415  # see above

    with operator_errors():
        return maintenance.apply_schemas(DatabaseSettings())


def generate_desired_state() -> tuple[Path, bool]:
    """Regenerate the desired-state SQL derived from code; return the file and if it changed."""
    changed = reconcile_sql.write_reconcile_retention_settings_sql()
    return reconcile_sql.RECONCILE_RETENTION_SETTINGS_SQL, changed


def newest_migration(alembic_ini: Path) -> str | None:
    """The head revision of the checkout whose alembic.ini this is (`strata scaffold`)."""
    from infra.db.migrator import head_revision  # noqa: PLC0415  # Alembic: see above

    return head_revision(alembic_ini)


def email_sender() -> EmailSender:
    """The SMTP sender configured by the `SMTP_*` settings (a ValidationError without them)."""
    return SmtpEmailSender(SmtpSettings())


def outbox_email_sender() -> EmailSender:
    """The outbox's sender: the SMTP one, or without the SMTP_* settings one whose every
    message fails, retryably, naming the settings to set; a worker that only prunes needs no
    mail server, and the emails wait, not lost, until it is configured."""
    try:
        return email_sender()
    except ValidationError as error:
        return MailNotConfigured(error)


@dataclass(frozen=True)
class MailNotConfigured(EmailSender):
    """Refuses every message, retryably, until the SMTP_* settings are valid."""

    problem: ValidationError

    def send(self, email: OutgoingEmail) -> IOResult[None, SendFailure]:
        fields = ", ".join(str(error["loc"][0]) for error in self.problem.errors())
        return IOFailure(MailServerUnavailable(f"SMTP is not configured ({fields}): set SMTP_*"))


async def connect_temporal(settings: TemporalSettings, runtime: Runtime | None = None) -> Client:
    """Connect to the Temporal frontend (TLS, mTLS, API key as configured); a refusal is one
    clear line naming the settings to check. `runtime` carries the SDK's telemetry (metrics)."""
    return await temporal_connection.connect(settings, runtime)
