"""Commit wake-ups for the outbox relay: LISTEN on the channel every append notifies.

The append sends `pg_notify(DOMAIN_EVENTS_CHANNEL, '')` inside the writer's
transaction, so PostgreSQL delivers it exactly when, and only if, the event
commits. The payload is empty on purpose: identical notifications of one
transaction are folded into one, so a transaction appending many events wakes
the relay once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Final, final

import psycopg
from returns.io import IOFailure, IOResult, IOSuccess
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from core.domains.domain_events.ports import CommitWakeups
from core.errors import DatabaseUnavailable, PersistenceError
from infra.db.error_translation import translate_database_error

DOMAIN_EVENTS_CHANNEL: Final = "strata_domain_events"
# An identifier, not a value: LISTEN takes no parameters, and the channel is a constant.
_LISTEN: Final = f"LISTEN {DOMAIN_EVENTS_CHANNEL}"


@final
class ListeningConnection(CommitWakeups):
    """A connection of its own, LISTENing, that reports notifications as they arrive."""

    def __init__(self, connection: psycopg.Connection[object]) -> None:
        self._connection = connection

    def wait(self, timeout: timedelta) -> IOResult[bool, PersistenceError]:
        try:
            # Sleeps on the socket: an idle relay costs the server nothing while it waits.
            woken = self._received(max(timeout.total_seconds(), 0.0), stop_after=1)
            if woken:
                # Whatever else has arrived already is told by this same wake-up.
                self._received(0.0)
            return IOSuccess(woken)
        except psycopg.Error as error:
            return IOFailure(DatabaseUnavailable(f"listening for commits: {error}"))

    def _received(self, seconds: float, stop_after: int | None = None) -> bool:
        notifications = self._connection.notifies(timeout=seconds, stop_after=stop_after)
        return sum(1 for _ in notifications) > 0


@contextmanager
def listening_for_commits(engine: Engine) -> Iterator[IOResult[CommitWakeups, PersistenceError]]:
    """Wake-ups on a connection taken out of the engine's pool for good (closed on exit):
    a LISTENing connection must never be handed to another user of the pool."""
    try:
        connection = engine.connect()
    except DBAPIError as error:
        yield IOFailure(_unavailable(error))
        return
    with connection:
        driver = connection.connection.driver_connection
        assert isinstance(driver, psycopg.Connection), "the engine uses psycopg 3"
        connection.detach()
        try:
            driver.autocommit = True
            driver.execute(_LISTEN)
        except psycopg.Error as error:
            yield IOFailure(DatabaseUnavailable(f"listening for commits: {error}"))
            return
        yield IOSuccess(ListeningConnection(driver))


def _unavailable(error: DBAPIError) -> PersistenceError:
    return translate_database_error(error) or DatabaseUnavailable(str(error).splitlines()[0])
