"""The retention ledger: each batch records itself in its own transaction; totals read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, delete, select

from core.errors import PersistenceError
from core.retention.ledger import PrunedSoFar
from infra.db.factories import AuthAuditEventsFactory, RetentionPruneBatchesFactory
from infra.db.repositories.retention import SqlRetentionLedger, SqlRetentionTarget
from infra.db.retention.targets import RETENTION_TARGETS, RetentionTargetDeclaration
from infra.db.schema import auth_audit_events, retention_prune_batches
from infra.db.transactions import savepoint_transaction

CUTOFF = datetime(2001, 1, 1, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def target(name: str, connection: Connection) -> SqlRetentionTarget:
    declaration = next(target for target in RETENTION_TARGETS if target.name == name)
    return SqlRetentionTarget(savepoint_transaction(connection), declaration)


def declared(name: str) -> RetentionTargetDeclaration:
    return next(target for target in RETENTION_TARGETS if target.name == name)


def expired_audit_events(connection: Connection, rows: int) -> None:
    AuthAuditEventsFactory.create_batch(rows, connection=connection, created_at=CUTOFF - SECOND)


def ledger_rows(connection: Connection, run_key: str) -> list[tuple[str, datetime, int]]:
    ledger = retention_prune_batches.c
    statement = (
        select(ledger.target, ledger.cutoff, ledger.rows_deleted)
        .where(ledger.run_key == run_key)
        .order_by(ledger.rows_deleted.desc())
    )
    return [tuple(row) for row in connection.execute(statement)]


def test_a_batch_records_what_it_deleted_under_its_run_with_its_cutoff(connection: Connection):
    expired_audit_events(connection, 3)
    audit_events = target("audit_events", connection)

    first = unsafe_perform_io(audit_events.prune_batch(CUTOFF, 2, "run-a").unwrap())
    second = unsafe_perform_io(audit_events.prune_batch(CUTOFF, 2, "run-a").unwrap())

    assert (first, second) == (2, 1)
    assert ledger_rows(connection, "run-a") == [
        ("audit_events", CUTOFF, 2),
        ("audit_events", CUTOFF, 1),
    ]


def test_a_runs_totals_count_its_own_batches_of_that_target_only(connection: Connection):
    expired_audit_events(connection, 5)
    audit_events = target("audit_events", connection)
    for run_key in ("run-a", "run-b", "run-a"):
        unsafe_perform_io(audit_events.prune_batch(CUTOFF, 2, run_key).unwrap())
    RetentionPruneBatchesFactory.create(connection=connection, run_key="run-a",
                                        target="invitations", rows_deleted=40)  # fmt: skip

    assert unsafe_perform_io(audit_events.pruned_in_run("run-a").unwrap()) == PrunedSoFar(3, 2)
    assert unsafe_perform_io(audit_events.pruned_in_run("run-b").unwrap()) == PrunedSoFar(2, 1)
    assert unsafe_perform_io(audit_events.pruned_in_run("run-c").unwrap()) == PrunedSoFar(0, 0)


def test_a_batch_whose_ledger_entry_is_refused_deletes_nothing(connection: Connection):
    expired_audit_events(connection, 2)

    outcome = target("audit_events", connection).prune_batch(CUTOFF, 2, "  ")

    assert not is_successful(outcome)
    assert isinstance(unsafe_perform_io(outcome.failure()), PersistenceError)
    expired = select(auth_audit_events.c.id).where(auth_audit_events.c.created_at < CUTOFF)
    assert len(connection.execute(expired).all()) == 2


def test_a_ledger_entry_one_second_past_the_cutoff_goes_and_one_second_short_stays(
    connection: Connection,
):
    old = RetentionPruneBatchesFactory.create(connection=connection, recorded_at=CUTOFF - SECOND)
    young = RetentionPruneBatchesFactory.create(connection=connection, recorded_at=CUTOFF + SECOND)
    ledger = target("retention_ledger", connection)

    assert unsafe_perform_io(ledger.count_expired(CUTOFF).unwrap()) == 1
    assert unsafe_perform_io(ledger.prune_batch(CUTOFF, 10, "run-a").unwrap()) == 1
    remaining = set(connection.execute(select(retention_prune_batches.c.id)).scalars())
    assert (old.id in remaining, young.id in remaining) == (False, True)
    assert ledger_rows(connection, "run-a") == [("retention_ledger", CUTOFF, 1)]


def test_the_history_of_a_run_reads_its_batches_oldest_first(connection: Connection):
    for minutes in (2, 0, 1):
        RetentionPruneBatchesFactory.create(connection=connection, run_key="run-h",
                                            recorded_at=CUTOFF + timedelta(minutes=minutes),
                                            rows_deleted=minutes)  # fmt: skip
    RetentionPruneBatchesFactory.create(connection=connection, run_key="run-other",
                                        recorded_at=CUTOFF + timedelta(minutes=5))  # fmt: skip
    ledger = SqlRetentionLedger(savepoint_transaction(connection))

    batches = unsafe_perform_io(ledger.batches_of("run-h").unwrap())

    assert [batch.rows_deleted for batch in batches] == [0, 1, 2]
    assert {batch.run_key for batch in batches} == {"run-h"}


def test_the_last_prune_of_each_target_is_its_latest_recorded_batch(connection: Connection):
    connection.execute(delete(retention_prune_batches))
    for name, minutes in (("audit_events", 1), ("audit_events", 3), ("invitations", 2)):
        at = CUTOFF + timedelta(minutes=minutes)
        RetentionPruneBatchesFactory.create(connection=connection, target=name, recorded_at=at)
    ledger = SqlRetentionLedger(savepoint_transaction(connection))

    last = unsafe_perform_io(ledger.last_prunes().unwrap())

    assert last == {
        "audit_events": CUTOFF + timedelta(minutes=3),
        "invitations": CUTOFF + timedelta(minutes=2),
    }
