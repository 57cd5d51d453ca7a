"""Factory of `domain_event_streams` rows.

A stream created here has a version and no events: the state retention leaves
when it pruned every event of an aggregate. The next append continues after
the version. Streams with events come from `DomainEventsFactory`, through the store.
"""

from __future__ import annotations

import factory

from infra.db.factories._base import RowFactory, timestamp, uuid
from infra.db.row_schemas.domain_event_streams import DomainEventStreamsRowSchema
from infra.db.schema import domain_event_streams


class DomainEventStreamsFactory(RowFactory[DomainEventStreamsRowSchema]):
    class Meta:
        model = DomainEventStreamsRowSchema

    _table = domain_event_streams

    aggregate_type = "organization"
    aggregate_id = uuid()
    version = factory.Faker("pyint", min_value=1, max_value=1000)
    created_at = timestamp()
    updated_at = factory.SelfAttribute("created_at")
