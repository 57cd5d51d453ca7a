"""The outbox's statements on `domain_events`: claim, end a delivery, an operator's retry, status.

Built here, run by `SqlDomainEventStore`. Times come from the database's
`statement_timestamp()`, one clock for every claimer, and unlike `now()` it
moves between the statements of one transaction.

A claim hands out only the head of each aggregate's undelivered events: an
event waits while an earlier event of its aggregate is pending or processing.
A dead letter (failed) no longer blocks, so one poison event cannot stop its
aggregate for ever; an operator's retry puts it back at the head of whatever
is still waiting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    DateTime,
    Select,
    Subquery,
    Update,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.sql.elements import ColumnElement

from infra.db.schema import domain_events

OPERATOR_RETRY_SETTING = "strata.operator_retry"


def claim_deliverable(limit: int, lease: timedelta) -> Update:
    """Up to `limit` deliverable events to processing, leased for `lease`, one attempt more.

    Each source of deliverable events (pending ones that are due, processing ones
    whose lease ran out) is read oldest first along its partial index and locked
    with SKIP LOCKED, at most `limit` each, so concurrent claimers take disjoint
    batches without waiting; the batch is the oldest of both. The locked rows the
    batch leaves out are free again when the claim's transaction ends.
    """
    candidates = _deliverable(limit, locked=True)
    batch = select(candidates.c.id).order_by(candidates.c.due).limit(limit)
    return (
        update(domain_events)
        .where(domain_events.c.id.in_(batch))
        .values(
            status="processing",
            attempts=domain_events.c.attempts + 1,
            locked_until=_now() + lease,
        )
        .returning(*domain_events.c)
    )


def claim_by_id(event_id: UUID, locked_until: datetime) -> Update:
    """One pending event to processing until `locked_until`, whatever the order rules say.

    For tools that place an event in a state (factories); the outbox claims
    through `claim_deliverable`.
    """
    return (
        update(domain_events)
        .where(domain_events.c.id == event_id, _status_is("pending"))
        .values(status="processing", attempts=domain_events.c.attempts + 1,
                locked_until=locked_until)
        .returning(*domain_events.c)
    )  # fmt: skip


def end_delivery(event_id: UUID, attempt: int, values: Mapping[str, object]) -> Update:
    """Set `values` on the event if it is still processing under the lease of `attempt`."""
    return (
        update(domain_events)
        .where(
            domain_events.c.id == event_id,
            _status_is("processing"),
            domain_events.c.attempts == attempt,
        )
        .values(**values)
        .returning(*domain_events.c)
    )


def publish_all(leases: Sequence[tuple[UUID, int]]) -> Update:
    """Processing -> published for every (event id, attempt) whose lease is still held,
    in one statement; returns the ids it published."""
    return (
        update(domain_events)
        .where(
            tuple_(domain_events.c.id, domain_events.c.attempts).in_(leases),
            _status_is("processing"),
        )
        .values(status="published", published_at=_now())
        .returning(domain_events.c.id)
    )


def retry_later_values(backoff: timedelta, error: str) -> dict[str, object]:
    """Back to pending, deliverable again once `backoff` has passed."""
    return {"status": "pending", "available_at": _now() + backoff, "last_error": error}


def retry_failed(event_id: UUID | None) -> Update:
    """An operator's retry of one failed event (or of all, for None): pending, due now.

    The guard trigger lets failed -> pending through only when the statement
    itself sets the transaction-local OPERATOR_RETRY_SETTING: it is part of the
    WHERE clause, so it is set before each row it lets through is updated.
    """
    authorised = func.set_config(OPERATOR_RETRY_SETTING, "on", True) == "on"
    chosen = [_status_is("failed"), authorised]
    if event_id is not None:
        chosen.insert(0, domain_events.c.id == event_id)
    return (
        update(domain_events)
        .where(*chosen)
        .values(
            status="pending",
            available_at=_now(),
            # The trigger clears failure_reason; the reason stays readable as the last error.
            last_error=domain_events.c.failure_reason,
        )
    )


def outbox_status() -> Select[*tuple[Any, ...]]:
    """One row: events per status, and how long ago the event the next claim takes first
    became deliverable (NULL when none is).

    The age reads the claim's own candidates, unlocked, so it names the event a
    claim would hand out, per-aggregate order included.
    """
    # Counted under an alias, so nothing in the age's subqueries correlates to the count.
    counted = domain_events.alias("counted")
    counts = (
        func.count().filter(_has_status(counted.c.status, status)).label(status)
        for status in ("pending", "processing", "published", "failed")
    )
    candidates = _deliverable(1, locked=False)
    oldest = select(func.min(candidates.c.due)).scalar_subquery()
    return select(*counts, (_now() - oldest).label("oldest_deliverable_age")).select_from(counted)


def _deliverable(limit: int, *, locked: bool) -> Subquery:
    """The oldest `limit` due events of each source: (id, due), locked for a claim if asked."""
    pending = _oldest_due("pending", domain_events.c.available_at, limit, locked=locked)
    expired = _oldest_due("processing", domain_events.c.locked_until, limit, locked=locked)
    return union_all(select(pending), select(expired)).subquery("candidates")


def _oldest_due(status: str, due: ColumnElement[Any], limit: int, *, locked: bool) -> Subquery:
    oldest = (
        select(domain_events.c.id, due.label("due"))
        .where(_status_is(status), due <= _now(), ~_waits_for_an_earlier_event())
        .order_by(due)
        .limit(limit)
    )
    # A locking clause is not allowed on a UNION branch, but is in a subquery of one.
    chosen = oldest.with_for_update(skip_locked=True) if locked else oldest
    return chosen.subquery(f"due_{status}")


def _waits_for_an_earlier_event() -> ColumnElement[bool]:
    earlier = domain_events.alias("earlier")
    return exists().where(
        earlier.c.aggregate_type == domain_events.c.aggregate_type,
        earlier.c.aggregate_id == domain_events.c.aggregate_id,
        earlier.c.sequence_number < domain_events.c.sequence_number,
        or_(_has_status(earlier.c.status, "pending"), _has_status(earlier.c.status, "processing")),
    )


def _status_is(status: str) -> ColumnElement[bool]:
    return _has_status(domain_events.c.status, status)


def _has_status(column: ColumnElement[Any], status: str) -> ColumnElement[bool]:
    # The status is written into the SQL (a constant, never a run-time value) so that even
    # a generic prepared plan can prove a partial index's predicate and use the index.
    return column == literal(status, literal_execute=True)


def _now() -> ColumnElement[Any]:
    return func.statement_timestamp(type_=DateTime(timezone=True))
