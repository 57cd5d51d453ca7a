"""Idempotency keys on PostgreSQL: one transaction per command, and same-key requests in turn.

The concurrent tests commit (two transactions need two connections), so each
uses fresh keys and names, and deletes what it made afterwards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from uuid import uuid4

import pytest
from returns.io import IOFailure, IOResult
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, Engine, delete, func, select, text

from core.clock import Clock, SystemClock
from core.domains.organizations.entities import Organization
from core.errors import RuleViolated
from core.json import JsonObject
from core.unit_of_work import UnitOfWork
from core.use_cases.create_organization import (
    CreateOrganization,
    CreateOrganizationError,
    create_organization,
)
from core.use_cases.idempotent import Replayed, run_idempotently
from infra.db.provider import SqlUnitOfWork
from infra.db.schema import domain_events, idempotency_keys, organizations

WAIT = 10.0
WAITING_ON_THE_KEY = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND datname = current_database()"
)


def named(organization: Organization) -> JsonObject:
    return {"organization_id": str(organization.id), "name": organization.name}


class HeldOpen:
    """`create_organization`, made to wait after its writes, inside its transaction."""

    def __init__(self, *, fail: bool = False) -> None:
        self.wrote = threading.Event()
        self.release = threading.Event()
        self.fail = fail

    def __call__(
        self, uow: UnitOfWork, clock: Clock, command: CreateOrganization
    ) -> IOResult[Organization, CreateOrganizationError]:
        return create_organization(uow, clock, command).bind(self._hold)

    def _hold(self, organization: Organization) -> IOResult[Organization, CreateOrganizationError]:
        self.wrote.set()
        assert self.release.wait(WAIT), "the test never released the first run"
        if self.fail:
            return IOFailure(RuleViolated("test", "the first run fails after its writes"))
        return IOResult.from_value(organization)


@pytest.fixture
def name() -> str:
    """A fresh organization name (`committed` deletes the organizations that bear it)."""
    return f"Idempotent {uuid4().hex[:12]}"


@pytest.fixture
def committed(runtime_engine: Engine, name: str) -> Iterator[SqlUnitOfWork]:
    uow = SqlUnitOfWork.on_engine(runtime_engine)
    yield uow
    with runtime_engine.begin() as connection:
        ids = select(organizations.c.id).where(organizations.c.name == name)
        connection.execute(delete(domain_events).where(domain_events.c.aggregate_id.in_(ids)))
        connection.execute(delete(organizations).where(organizations.c.name == name))
        connection.execute(delete(idempotency_keys).where(idempotency_keys.c.key.like("it-%")))


def run(
    uow: UnitOfWork,
    use_case: Callable[..., IOResult[Organization, CreateOrganizationError]],
    name: str,
    key: str,
) -> object:
    outcome = run_idempotently(
        use_case, uow, SystemClock(), CreateOrganization(name, "b@x.io"), key=key, encode=named
    )
    return unsafe_perform_io(outcome)


def count_named(engine: Engine, name: str) -> int:
    with engine.connect() as connection:
        statement = select(func.count()).where(organizations.c.name == name)
        return int(connection.execute(statement).scalar_one())


def wait_until_blocked(owner_engine: Engine) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with owner_engine.connect() as connection:
            if connection.execute(WAITING_ON_THE_KEY).scalar_one():
                return
        time.sleep(0.02)
    raise AssertionError("the second request never waited on the key")


def test_a_key_and_the_commands_writes_commit_together(
    uow: SqlUnitOfWork, connection: Connection
) -> None:
    key = f"it-{uuid4().hex}"
    organization = run(uow, create_organization, "Acme", key).unwrap()

    row = connection.execute(select(idempotency_keys).where(idempotency_keys.c.key == key)).one()
    assert (row.command, row.result) == ("CreateOrganization", named(organization))


def test_a_repeat_in_another_transaction_replays_and_writes_nothing(
    uow: SqlUnitOfWork, connection: Connection
) -> None:
    key = f"it-{uuid4().hex}"
    first = run(uow, create_organization, "Acme", key).unwrap()

    again = run(uow, create_organization, "Acme", key).unwrap()

    assert isinstance(again, Replayed)
    assert again.result == named(first)
    count = select(func.count()).select_from(organizations).where(organizations.c.id == first.id)
    assert connection.execute(count).scalar_one() == 1


def test_a_concurrent_repeat_waits_for_the_first_run_then_replays_it(
    committed: SqlUnitOfWork, runtime_engine: Engine, owner_engine: Engine, name: str
) -> None:
    key = f"it-{uuid4().hex}"
    first_run = HeldOpen()
    with ThreadPoolExecutor(max_workers=2) as pool:
        first: Future[object] = pool.submit(run, committed, first_run, name, key)
        assert first_run.wrote.wait(WAIT)
        second: Future[object] = pool.submit(run, committed, create_organization, name, key)
        wait_until_blocked(owner_engine)
        assert not second.done()
        first_run.release.set()
        organization = first.result(WAIT).unwrap()
        replayed = second.result(WAIT).unwrap()

    assert replayed == Replayed(key, named(organization), replayed.first_run_at)
    assert count_named(runtime_engine, name) == 1


def test_a_concurrent_repeat_runs_the_command_itself_when_the_first_run_rolls_back(
    committed: SqlUnitOfWork, runtime_engine: Engine, owner_engine: Engine, name: str
) -> None:
    key = f"it-{uuid4().hex}"
    first_run = HeldOpen(fail=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        first: Future[object] = pool.submit(run, committed, first_run, name, key)
        assert first_run.wrote.wait(WAIT)
        second: Future[object] = pool.submit(run, committed, create_organization, name, key)
        wait_until_blocked(owner_engine)
        first_run.release.set()
        assert isinstance(first.result(WAIT).failure(), RuleViolated)
        organization = second.result(WAIT).unwrap()

    assert isinstance(organization, Organization)
    assert count_named(runtime_engine, name) == 1
