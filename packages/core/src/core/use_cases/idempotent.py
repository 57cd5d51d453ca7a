"""Run any use case under an idempotency key: once, however often it is asked.

The key is claimed, the use case runs and the key is stored with its result
all in ONE transaction: the use case's own unit of work is replaced by the
transaction the key was claimed in. A crash therefore never leaves a key
without its effect, nor an effect without its key, and a use case that fails
leaves no key behind (it wrote nothing, so running it again is safe).

A repeat of the same request replays the stored result and writes nothing; the
same key with a different request is `IdempotencyKeyReused`. A repeat that
arrives while the first run is still in flight waits for it (see
`IdempotencyKeys.claim`) and then replays, so the command never runs twice.

What is stored is `encode(value)`, the JSON the caller chooses (the CLI stores
the `--json` view it prints): a replay shows what the first run showed,
without decoding entities back from a schema that may since have moved on.
Secrets the caller does not encode (an invitation's token) are not replayed.

A use case run this way makes all its `uow.run` calls in that one transaction;
every use case today makes exactly one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Generic, TypeVar, final

from returns.io import IOFailure, IOResult, IOSuccess

from core.clock import Clock
from core.domains.idempotency.entities import (
    IdempotencyRecord,
    IdempotentRequest,
    NewIdempotencyRecord,
    idempotent_request,
)
from core.domains.idempotency.errors import IdempotencyError, IdempotencyKeyReused
from core.errors import PersistenceError
from core.json import JsonObject
from core.unit_of_work import Repositories, UnitOfWork

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Command = TypeVar("Command", bound="DataclassInstance")
Value = TypeVar("Value")
Failure = TypeVar("Failure")
_T = TypeVar("_T")
_E = TypeVar("_E")

UseCase = Callable[[UnitOfWork, Clock, Command], IOResult[Value, Failure]]


@dataclass(frozen=True)
class Replayed:
    """The result a key's first run stored; this run wrote nothing."""

    key: str
    result: JsonObject
    first_run_at: datetime


def run_idempotently(
    use_case: UseCase[Command, Value, Failure],
    uow: UnitOfWork,
    clock: Clock,
    command: Command,
    *,
    key: str,
    encode: Callable[[Value], JsonObject],
) -> IOResult[Value | Replayed, Failure | IdempotencyError | PersistenceError]:
    """Run `use_case` once per key: its value the first time, `Replayed` on a repeat."""
    requested: IOResult[IdempotentRequest, Failure | IdempotencyError | PersistenceError] = (
        IOResult.from_result(idempotent_request(key, command))
    )
    once = _Once(use_case, clock, command, encode)
    return requested.bind(lambda request: uow.run(lambda repos: once.run(repos, request)))


@final
@dataclass(frozen=True)
class _Once(Generic[Command, Value, Failure]):
    """One use case call, made at most once per request in the transaction given to `run`."""

    use_case: UseCase[Command, Value, Failure]
    clock: Clock
    command: Command
    encode: Callable[[Value], JsonObject]

    def run(
        self, repos: Repositories, request: IdempotentRequest
    ) -> IOResult[Value | Replayed, Failure | IdempotencyError | PersistenceError]:
        claimed: IOResult[
            IdempotencyRecord | None, Failure | IdempotencyError | PersistenceError
        ] = repos.idempotency_keys.claim(request.key)
        return claimed.bind(lambda stored: self._answer(repos, request, stored))

    def _answer(
        self, repos: Repositories, request: IdempotentRequest, stored: IdempotencyRecord | None
    ) -> IOResult[Value | Replayed, Failure | IdempotencyError | PersistenceError]:
        if stored is None:
            return self._first_run(repos, request)
        if stored.answers(request):
            return IOSuccess(Replayed(stored.key, stored.result, stored.created_at))
        return IOFailure(IdempotencyKeyReused(stored.key, stored.command))

    def _first_run(
        self, repos: Repositories, request: IdempotentRequest
    ) -> IOResult[Value | Replayed, Failure | IdempotencyError | PersistenceError]:
        ran: IOResult[Value, Failure | IdempotencyError | PersistenceError] = self.use_case(
            _ClaimingTransaction(repos), self.clock, self.command
        )
        return ran.bind(lambda value: self._record(repos, request, value))

    def _record(
        self, repos: Repositories, request: IdempotentRequest, value: Value
    ) -> IOResult[Value | Replayed, Failure | IdempotencyError | PersistenceError]:
        record = NewIdempotencyRecord(
            request.key, request.command, request.fingerprint, self.encode(value), self.clock.now()
        )
        stored: IOResult[IdempotencyRecord, Failure | IdempotencyError | PersistenceError] = (
            repos.idempotency_keys.store(record)
        )
        return stored.map(lambda _: value)


@final
class _ClaimingTransaction(UnitOfWork):
    """The use case's unit of work, run inside the transaction that claimed the key.

    Its failure, or exception, rolls back that whole transaction, key included.
    """

    def __init__(self, repos: Repositories) -> None:
        self._repos = repos

    def run(
        self, work: Callable[[Repositories], IOResult[_T, _E]]
    ) -> IOResult[_T, _E | PersistenceError]:
        return work(self._repos)
