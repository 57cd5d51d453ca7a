"""Factory of `processed_events` rows (an event's record, as its consumer made it)."""

from __future__ import annotations

from infra.db.factories._base import RowFactory, timestamp, uuid
from infra.db.row_schemas.processed_events import ProcessedEventsRowSchema
from infra.db.schema import processed_events


class ProcessedEventsFactory(RowFactory[ProcessedEventsRowSchema]):
    class Meta:
        model = ProcessedEventsRowSchema

    _table = processed_events

    consumer = "organization-onboarding"
    event_id = uuid()
    id = uuid()
    processed_at = timestamp()
