"""What a handler of a domain event can be, and what it can report.

- `Deliver`: the relay runs it in its activity, for effects an activity can
  have (send an email, write to the database through the unit of work). It must
  tolerate a second delivery: database effects go through `once_per_event`,
  external sends carry an id derived from the event id.
- `StartChildWorkflow`: the relay's workflow starts a child workflow whose id is
  derived from the event id, and Temporal refuses to start it twice.
- `NOT_DELIVERED`: the type is deliberately delivered to nobody; the relay marks
  its events published, so they never hold up their aggregate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from returns.io import IOResult

from core.clock import Clock
from core.domains.domain_events.entities import StoredDomainEvent
from core.mail.ports import EmailSender
from core.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class HandlerPorts:
    """What an in-activity handler may use: the database and the mail server, and the time."""

    unit_of_work: UnitOfWork
    email: EmailSender
    clock: Clock


@dataclass(frozen=True)
class HandlerFailure:
    """Why a delivery failed; `permanent` when another attempt cannot succeed."""

    reason: str
    permanent: bool = False


@dataclass(frozen=True)
class Deliver:
    """Handle the event inside the relay's activity."""

    handle: Callable[[StoredDomainEvent, HandlerPorts], IOResult[None, HandlerFailure]]


@dataclass(frozen=True)
class StartChildWorkflow:
    """Start `workflow` (by its registered name) with `argument(event)` as a child of the relay,
    under the workflow id `<id_prefix>-<event id>`."""

    workflow: str
    id_prefix: str
    argument: Callable[[StoredDomainEvent], object]


@dataclass(frozen=True)
class NotDelivered:
    """The explicit marker of an event type no handler is meant for."""


NOT_DELIVERED: Final = NotDelivered()

EventHandler = Deliver | StartChildWorkflow | NotDelivered
