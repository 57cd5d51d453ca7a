"""Relay activities: claim deliverable events, hand each to its handler, record how it ended.

A relay call runs for a time budget, heartbeating, on a helper thread:

- it LISTENs for commits first and claims second, so an event committed at any
  moment is either in a claim or wakes the next wait;
- it claims a batch (leased, one attempt more), runs the in-activity handlers
  one by one, and marks the successes published in one statement; a failure
  goes back to pending with its backoff, or is dead-lettered after the last
  attempt or when it can never succeed;
- with nothing to claim it sleeps on the wake-ups, at most `idle_poll`, so an
  idle relay makes at most one query per `idle_poll` (events due after a
  backoff or with an expired lease are found by that poll);
- it returns early with the claimed events whose handler is a child workflow,
  which only the workflow can start.

A worker killed mid-batch leaves its events processing until their lease
expires; the next claim takes them over and delivers them again. Handlers are
written for that: database effects record the event as processed in the same
transaction, external sends carry an id derived from the event id.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar
from uuid import UUID

from returns.io import IOFailure, IOResult, IOSuccess
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from temporalio import activity
from temporalio.exceptions import ApplicationError

from app.heartbeats import run_heartbeating
from app.outbox import contract
from app.outbox.handlers import (
    Deliver,
    EventHandler,
    HandlerFailure,
    HandlerPorts,
    NotDelivered,
    StartChildWorkflow,
)
from core.domains.domain_events.entities import StoredDomainEvent
from core.domains.domain_events.errors import LeaseLost
from core.domains.domain_events.ports import CommitWakeups, DeliveryError, OutboxTransactions
from core.domains.domain_events.retries import DeadLetter, RetryPolicy, after_failure
from core.errors import DatabaseUnavailable, PersistenceError

T = TypeVar("T")

Lease = tuple[UUID, int]
CommitListener = Callable[[], AbstractContextManager[IOResult[CommitWakeups, PersistenceError]]]
UNREGISTERED_EVENT_TYPE = "UnregisteredEventType"
# How long a wait goes before it checks whether the call was asked to stop.
STOP_CHECK_SECONDS = 1.0
# A failure reason is kept on the row for people to read; a traceback-sized one is cut.
MAX_REASON_LENGTH = 2_000


@dataclass(frozen=True)
class RelayTuning:
    """How a relay call claims and waits (from the worker's settings)."""

    batch_size: int
    lease: timedelta
    idle_poll: timedelta
    call_budget: timedelta
    retry: RetryPolicy


class OutboxActivities:
    """The activities of `OutboxRelayWorkflow`, bound to their ports and handlers."""

    def __init__(
        self,
        outbox: OutboxTransactions,
        listen: CommitListener,
        handlers: Mapping[str, EventHandler],
        ports: HandlerPorts,
        tuning: RelayTuning,
    ) -> None:
        self._outbox = outbox
        self._listen = listen
        self._handlers = dict(handlers)
        self._ports = ports
        self._tuning = tuning

    @property
    def all(self) -> list[Callable[..., object]]:
        """Every activity, as the worker registers them."""
        return [self.relay_events, self.publish_handoffs]

    @activity.defn(name=contract.RELAY_EVENTS)
    def relay_events(self, call: contract.RelayCall) -> contract.RelayReport:
        """Deliver events until the budget is spent, or child workflows are to be started."""
        return run_heartbeating(self._relay, stop_when_worker_stops=True)

    @activity.defn(name=contract.PUBLISH_HANDOFFS)
    def publish_handoffs(self, request: contract.PublishHandoffsInput) -> int:
        """Published for each handoff whose child workflow is started; how many were."""
        leases = [(handoff.event_id, handoff.attempt) for handoff in request.handoffs]
        return len(_unwrap(self._outbox.run(lambda o: o.mark_all_published(leases))))

    def _relay(self, stop: threading.Event) -> contract.RelayReport:
        deadline = time.monotonic() + self._tuning.call_budget.total_seconds()
        delivered = 0
        # Claim at once: whatever committed before the LISTEN began is found by this claim.
        woken, poll_due = True, 0.0
        with self._listen() as listening:
            wakeups = _unwrap(listening)
            while not stop.is_set() and (now := time.monotonic()) < deadline:
                if woken or now >= poll_due:
                    claimed = self._claim()
                    if claimed:
                        ended, handoffs = self._deliver(claimed)
                        delivered += ended
                        if handoffs:
                            return contract.RelayReport(delivered, handoffs)
                        continue  # a full batch may have left more behind
                    poll_due = now + self._tuning.idle_poll.total_seconds()
                # Waiting costs the server nothing; the slices only keep `stop` heard.
                waited = min(STOP_CHECK_SECONDS, poll_due - now, deadline - now)
                woken = _unwrap(wakeups.wait(timedelta(seconds=max(waited, 0.0))))
        return contract.RelayReport(delivered)

    def _claim(self) -> tuple[StoredDomainEvent, ...]:
        batch, lease = self._tuning.batch_size, self._tuning.lease
        return _unwrap(self._outbox.run(lambda outbox: outbox.claim_deliverable(batch, lease)))

    def _deliver(
        self, claimed: Sequence[StoredDomainEvent]
    ) -> tuple[int, tuple[contract.Handoff, ...]]:
        done: list[Lease] = []
        handoffs: list[contract.Handoff] = []
        for event in claimed:
            lease = (event.id, event.attempts)
            handler = self._handler_of(event)
            if isinstance(handler, StartChildWorkflow):
                handoffs.append(_handoff(event, handler))
            elif isinstance(handler, NotDelivered):
                done.append(lease)
            else:
                outcome = handler.handle(event, self._ports)
                if is_successful(outcome):
                    done.append(lease)
                else:
                    self._after_failure(lease, unsafe_perform_io(outcome.failure()))
        _unwrap(self._outbox.run(lambda o: o.mark_all_published(done)))
        return len(claimed) - len(handoffs), tuple(handoffs)

    def _handler_of(self, event: StoredDomainEvent) -> EventHandler:
        handler = self._handlers.get(event.event_type)
        if handler is None:
            # The checker keeps the registry complete; an event written by newer code than
            # this worker's is dead-lettered, loudly, rather than blocking its aggregate.
            reason = f"no handler is registered for {event.event_type}"
            return Deliver(lambda _event, _ports: IOResult.from_failure(_permanent(reason)))
        return handler

    def _after_failure(self, lease: Lease, failure: HandlerFailure) -> None:
        event_id, attempt = lease
        reason = failure.reason[:MAX_REASON_LENGTH]
        next_step = (
            DeadLetter(f"permanent failure: {reason}")
            if failure.permanent
            else after_failure(self._tuning.retry, attempt, reason)
        )
        if isinstance(next_step, DeadLetter):
            ended = self._outbox.run(lambda o: o.dead_letter(event_id, attempt, next_step.reason))
        else:
            ended = self._outbox.run(
                lambda o: o.retry_later(event_id, attempt, next_step.delay, reason)
            )
        # A lost lease means another claimer owns the event now: its outcome counts.
        _unwrap(ended.map(lambda _: None).lash(_unless_lease_lost))


def _handoff(event: StoredDomainEvent, handler: StartChildWorkflow) -> contract.Handoff:
    return contract.Handoff(
        event_id=event.id,
        attempt=event.attempts,
        workflow=handler.workflow,
        id_prefix=handler.id_prefix,
        argument=handler.argument(event),
    )


def _permanent(reason: str) -> HandlerFailure:
    return HandlerFailure(reason, permanent=True)


def _unless_lease_lost(error: DeliveryError) -> IOResult[None, PersistenceError]:
    if isinstance(error, LeaseLost):
        return IOSuccess(None)
    return IOFailure(error)


def _unwrap(result: IOResult[T, object]) -> T:
    """The value, or an ApplicationError: retryable when the database was unreachable."""
    if is_successful(result):
        return unsafe_perform_io(result.unwrap())
    error = unsafe_perform_io(result.failure())
    raise ApplicationError(
        f"{type(error).__name__}: {error}",
        type=type(error).__name__,
        non_retryable=not isinstance(error, DatabaseUnavailable),
    )
