"""The append's notification: sent exactly when the event commits, and folded per transaction."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import pytest
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Engine, text

from core.domains.domain_events.ports import CommitWakeups
from infra.db.factories import DomainEventsFactory
from infra.db.repositories.commit_wakeups import listening_for_commits

pytestmark = pytest.mark.usefixtures("empty_outbox")

QUIET = timedelta(milliseconds=300)


@pytest.fixture
def wakeups(outbox_engine: Engine) -> Iterator[CommitWakeups]:
    with listening_for_commits(outbox_engine) as listening:
        yield unsafe_perform_io(listening.unwrap())


def test_a_committed_append_wakes_the_listener_at_once(
    outbox_engine: Engine, wakeups: CommitWakeups
) -> None:
    with outbox_engine.begin() as connection:
        DomainEventsFactory.create(connection=connection)
    started = time.monotonic()

    woken = unsafe_perform_io(wakeups.wait(timedelta(seconds=5)).unwrap())

    assert woken
    assert time.monotonic() - started < 1.0


def test_a_rolled_back_append_sends_no_wake_up(
    outbox_engine: Engine, wakeups: CommitWakeups
) -> None:
    with outbox_engine.connect() as connection, connection.begin() as transaction:
        DomainEventsFactory.create(connection=connection)
        transaction.rollback()

    assert not unsafe_perform_io(wakeups.wait(QUIET).unwrap())


def test_an_uncommitted_append_wakes_nobody_until_it_commits(
    outbox_engine: Engine, wakeups: CommitWakeups
) -> None:
    with outbox_engine.connect() as connection, connection.begin() as transaction:
        DomainEventsFactory.create(connection=connection)
        assert not unsafe_perform_io(wakeups.wait(QUIET).unwrap())
        transaction.commit()

    assert unsafe_perform_io(wakeups.wait(timedelta(seconds=5)).unwrap())


def test_one_transaction_of_many_appends_wakes_the_listener_once(
    outbox_engine: Engine, wakeups: CommitWakeups
) -> None:
    aggregate = uuid4()
    with outbox_engine.begin() as connection:
        for _ in range(5):
            DomainEventsFactory.create(connection=connection, aggregate_id=aggregate)

    assert unsafe_perform_io(wakeups.wait(timedelta(seconds=5)).unwrap())
    assert not unsafe_perform_io(wakeups.wait(QUIET).unwrap())


def test_a_listener_whose_connection_is_gone_reports_the_database_unavailable(
    outbox_engine: Engine,
) -> None:
    with listening_for_commits(outbox_engine) as listening:
        wakeups = unsafe_perform_io(listening.unwrap())
        with outbox_engine.begin() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE query = :listen AND pid <> pg_backend_pid()"
                ),
                {"listen": "LISTEN strata_domain_events"},
            )
        failure = unsafe_perform_io(wakeups.wait(timedelta(seconds=2)).failure())

    assert type(failure).__name__ == "DatabaseUnavailable"
    assert "listening for commits" in failure.detail
