"""Appending a use case's event inside its unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar
from uuid import UUID

from returns.io import IOResult

from core.domains.domain_events.entities import EventPayload
from core.domains.domain_events.ports import AppendError
from core.event_registry import domain_event
from core.unit_of_work import Repositories

T = TypeVar("T")


def recorded(
    value: T,
    repos: Repositories,
    payload: EventPayload,
    aggregate_id: UUID,
    *,
    occurred_at: datetime,
    correlation_id: UUID | None,
) -> IOResult[T, AppendError]:
    """Append the registered event for `payload`, then hand `value` on down the chain."""
    event = domain_event(payload, aggregate_id, occurred_at, correlation_id)
    return repos.domain_events.append(event).map(lambda _: value)
