"""What every measurement shares: the stack's settings and engines for both roles."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine

from app import bootstrap
from app.settings import TemporalSettings
from devservers.bench.relay_fleet import RelayFleet
from devservers.bench.sizes import Sizes
from infra.db.engine import owner_engine, runtime_engine
from infra.db.env import DatabaseSettings


@dataclass(frozen=True)
class BenchContext:
    """The servers under test, the sizes to measure at, and the engines to reach the database.

    `owner` seeds and resets tables (as benchmark seeding must: the runtime role
    cannot truncate); `runtime` is the role the application runs as, so every
    measured statement runs with the application's privileges. `relay` is the
    outbox rows' worker processes, kept between those rows (starting one takes
    seconds) and stopped when the bench ends.
    """

    environment: dict[str, str]
    sizes: Sizes
    owner: Engine
    runtime: Engine
    relay: RelayFleet

    @property
    def database(self) -> DatabaseSettings:
        return DatabaseSettings.model_validate(self.environment)

    @property
    def temporal(self) -> TemporalSettings:
        return TemporalSettings.model_validate(self.environment)

    @property
    def owner_url(self) -> str:
        return self.database.owner_url

    @property
    def runtime_url(self) -> str:
        return self.database.runtime_url

    @contextmanager
    def ports(self) -> Iterator[bootstrap.Ports]:
        with bootstrap.ports(self.database) as ports:
            yield ports


@contextmanager
def bench_context(environment: dict[str, str], sizes: Sizes) -> Iterator[BenchContext]:
    database = DatabaseSettings.model_validate(environment)
    owner = owner_engine(database)
    runtime = runtime_engine(database)
    relay = RelayFleet(environment)
    try:
        yield BenchContext(environment, sizes, owner, runtime, relay)
    finally:
        try:
            relay.close()
        finally:
            owner.dispose()
            runtime.dispose()
