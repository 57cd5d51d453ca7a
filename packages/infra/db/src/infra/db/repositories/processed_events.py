"""Processed events: a consumer's record of an event, written with the effect it guards.

One INSERT … ON CONFLICT DO NOTHING says both "record it" and "was it
recorded before". A concurrent insert of the same pair waits on the first
transaction's uncommitted key: if that one commits, this one inserts nothing
(False); if it rolls back, this one inserts (True). So of two concurrent
deliveries exactly one runs the effect, with no lock taken by hand.
"""

from __future__ import annotations

from typing import Final, final
from uuid import UUID

from returns.io import IOResult
from sqlalchemy import Text, Uuid, bindparam
from sqlalchemy.dialects.postgresql import insert

from core.domains.processed_events.ports import ProcessedEvents
from core.errors import PersistenceError
from infra.db.repositories._statements import ConnectionBound, fetch_optional
from infra.db.row_schemas.processed_events import ProcessedEventsRowSchema
from infra.db.schema import processed_events

# Built once: every delivered event of every DB-writing handler runs it.
_RECORD: Final = (
    insert(processed_events)
    .values(
        consumer=bindparam("consumer", type_=Text),
        event_id=bindparam("event_id", type_=Uuid()),
    )
    .on_conflict_do_nothing(index_elements=[processed_events.c.consumer,
                                            processed_events.c.event_id])
    .returning(*processed_events.c)
)  # fmt: skip


@final
class SqlProcessedEvents(ConnectionBound, ProcessedEvents):
    """ProcessedEvents on PostgreSQL."""

    def record(self, consumer: str, event_id: UUID) -> IOResult[bool, PersistenceError]:
        # A row comes back only when this statement inserted it.
        inserted = fetch_optional(
            self._connection,
            _RECORD,
            ProcessedEventsRowSchema,
            {"consumer": consumer, "event_id": event_id},
        )
        return inserted.map(lambda row: row is not None)
