"""Ports of the idempotency domain."""

from __future__ import annotations

from typing import Protocol

from returns.io import IOResult

from core.domains.idempotency.entities import IdempotencyRecord, NewIdempotencyRecord
from core.errors import PersistenceError


class IdempotencyKeys(Protocol):
    """The stored keys, in the transaction of the command they guard."""

    def claim(self, key: str) -> IOResult[IdempotencyRecord | None, PersistenceError]:
        """Hold `key` until this transaction ends; the record stored under it, or None.

        A transaction already holding the key makes this wait until it ends,
        so a concurrent repeat sees the record the first one committed.
        """
        ...

    def store(self, record: NewIdempotencyRecord) -> IOResult[IdempotencyRecord, PersistenceError]:
        """Record a key claimed in this transaction, with the result its command produced."""
        ...
