"""Ports of the processed-events domain."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from returns.io import IOResult

from core.errors import PersistenceError


class ProcessedEvents(Protocol):
    """The events each consumer has processed, recorded in the transaction of its effect."""

    def record(self, consumer: str, event_id: UUID) -> IOResult[bool, PersistenceError]:
        """Record that `consumer` processed `event_id`: True if newly recorded, False if it was.

        A transaction recording the same pair concurrently makes this wait until
        it ends, so of two concurrent deliveries exactly one sees True.
        """
        ...
