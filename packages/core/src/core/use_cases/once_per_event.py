"""Run a consumer's database effect of an event at most once, however often it is delivered.

Delivery is at least once: a relay that dies after a handler committed hands
the event out again. Recording (consumer, event id) in the transaction of the
effect makes the effect and its record commit or roll back together, so a
redelivery finds the record and skips the effect, and an effect that failed
left no record to stop its retry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import UUID

from returns.io import IOResult, IOSuccess

from core.errors import PersistenceError
from core.unit_of_work import Repositories

_T = TypeVar("_T")
_E = TypeVar("_E")


@dataclass(frozen=True)
class Applied(Generic[_T]):
    """The effect ran now, in this transaction, and returned `value`."""

    value: _T


@dataclass(frozen=True)
class AlreadyProcessed:
    """The consumer had processed the event before: the effect did not run again."""


def once_per_event(
    repos: Repositories,
    consumer: str,
    event_id: UUID,
    effect: Callable[[Repositories], IOResult[_T, _E]],
) -> IOResult[Applied[_T] | AlreadyProcessed, _E | PersistenceError]:
    """Record the event for `consumer`, then run `effect` only if it was not recorded before.

    Call it inside the caller's unit of work: the record commits with the effect.
    """
    recorded: IOResult[bool, _E | PersistenceError] = repos.processed_events.record(
        consumer, event_id
    )
    return recorded.bind(
        lambda new: _apply(repos, effect) if new else IOSuccess(AlreadyProcessed())
    )


def _apply(
    repos: Repositories, effect: Callable[[Repositories], IOResult[_T, _E]]
) -> IOResult[Applied[_T] | AlreadyProcessed, _E]:
    return effect(repos).map(Applied)
