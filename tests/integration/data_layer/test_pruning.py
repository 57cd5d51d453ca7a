"""Retention statements: the cutoff boundary, states that are never pruned, batches, counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, func, select

from infra.db.factories import AuthAuditEventsFactory, DomainEventsFactory, InvitationsFactory
from infra.db.retention.targets import RETENTION_TARGETS, RetentionTargetDeclaration
from infra.db.schema import auth_audit_events, domain_events, invitations

CUTOFF = datetime(2026, 1, 1, tzinfo=UTC)
SECOND = timedelta(seconds=1)
AGES_AGO = CUTOFF - timedelta(days=3650)


def declared(name: str) -> RetentionTargetDeclaration:
    return next(target for target in RETENTION_TARGETS if target.name == name)


def prune(name: str, connection: Connection, batch_size: int = 1000) -> int:
    return connection.execute(declared(name).prune(CUTOFF, batch_size)).rowcount


def count(name: str, connection: Connection) -> int:
    return connection.execute(declared(name).count(CUTOFF)).scalar_one()


def ids_in(connection: Connection, table: object) -> set[object]:
    return set(connection.execute(select(table.c.id)).scalars())


def test_an_audit_event_one_second_past_the_cutoff_goes_and_one_second_short_stays(
    connection: Connection,
) -> None:
    old = AuthAuditEventsFactory.create(connection=connection, created_at=CUTOFF - SECOND)
    young = AuthAuditEventsFactory.create(connection=connection, created_at=CUTOFF + SECOND)
    assert count("audit_events", connection) == 1
    assert prune("audit_events", connection) == 1
    remaining = ids_in(connection, auth_audit_events)
    assert old.id not in remaining
    assert young.id in remaining


@pytest.mark.parametrize("status", ["accepted", "revoked", "expired"])
def test_a_terminal_invitation_past_the_cutoff_is_pruned_and_a_younger_one_stays(
    connection: Connection, status: str
) -> None:
    old = InvitationsFactory.create(connection=connection, status=status,
                                    created_at=CUTOFF - SECOND)  # fmt: skip
    young = InvitationsFactory.create(connection=connection, status=status,
                                      created_at=CUTOFF + SECOND)  # fmt: skip
    assert prune("invitations", connection) == 1
    remaining = ids_in(connection, invitations)
    assert (old.id in remaining, young.id in remaining) == (False, True)


def test_a_pending_invitation_is_never_pruned_however_old(connection: Connection) -> None:
    ancient = InvitationsFactory.create(connection=connection, created_at=AGES_AGO)
    assert count("invitations", connection) == 0
    assert prune("invitations", connection) == 0
    assert ancient.id in ids_in(connection, invitations)


@pytest.mark.parametrize(("status", "column"), [("published", "published_at"),
                                                ("failed", "failed_at")])  # fmt: skip
def test_a_completed_event_is_pruned_by_its_completion_time(
    connection: Connection, status: str, column: str
) -> None:
    old = DomainEventsFactory.create(
        connection=connection, status=status, occurred_at=AGES_AGO, **{column: CUTOFF - SECOND}
    )
    young = DomainEventsFactory.create(
        connection=connection, status=status, occurred_at=AGES_AGO, **{column: CUTOFF + SECOND}
    )
    assert count("domain_events", connection) == 1
    assert prune("domain_events", connection) == 1
    remaining = ids_in(connection, domain_events)
    assert (old.id in remaining, young.id in remaining) == (False, True)


@pytest.mark.parametrize("status", ["pending", "processing"])
def test_an_undelivered_event_is_never_pruned_however_old(
    connection: Connection, status: str
) -> None:
    ancient = DomainEventsFactory.create(connection=connection, status=status,
                                         occurred_at=AGES_AGO)  # fmt: skip
    assert prune("domain_events", connection) == 0
    assert ancient.id in ids_in(connection, domain_events)


def test_a_prune_deletes_at_most_one_batch_and_reports_what_it_deleted(
    connection: Connection,
) -> None:
    AuthAuditEventsFactory.create_batch(5, connection=connection, created_at=AGES_AGO)
    assert [prune("audit_events", connection, batch_size=2) for _ in range(4)] == [2, 2, 1, 0]
    total = connection.execute(
        select(func.count()).where(auth_audit_events.c.created_at < CUTOFF)
    ).scalar_one()
    assert total == 0


def test_a_domain_event_batch_takes_the_oldest_completions_across_both_states(
    connection: Connection,
) -> None:
    # Published and failed events interleaved in completion time, newest first on purpose.
    completed = [
        ("published" if minute % 2 else "failed", CUTOFF - timedelta(minutes=minute))
        for minute in range(1, 7)
    ]
    events = {
        DomainEventsFactory.create(
            connection=connection,
            status=status,
            occurred_at=AGES_AGO,
            **{f"{status}_at": at},
        ).id: at
        for status, at in completed
    }

    assert prune("domain_events", connection, batch_size=3) == 3

    oldest_three = sorted(events, key=events.__getitem__)[:3]
    assert ids_in(connection, domain_events) == set(events) - set(oldest_three)
