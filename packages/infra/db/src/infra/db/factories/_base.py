"""The factory base: build validated rows, or persist them through a given connection.

`XFactory.build(**overrides)` returns a row schema instance (validated, not
stored). `XFactory.create(connection=conn, **overrides)` first creates the rows
it refers to (an invitation's organization, a session's user) unless their id
is given, then inserts and returns the row as stored. Under
`factory.random.reseed_random(seed)` the same calls give the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from typing import Any, ClassVar, TypeVar

import factory
import factory.random
from pydantic import BaseModel
from returns.io import IOResult
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, Table

from infra.db.repositories.rows import insert_row

RowT = TypeVar("RowT", bound=BaseModel)

# Default timestamps fall in a fixed window so a seed reproduces them exactly;
# pass created_at (and friends) to place a row relative to today.
TIMESTAMP_WINDOW_START = datetime(2025, 1, 1, tzinfo=UTC)
TIMESTAMP_WINDOW_END = datetime(2025, 12, 31, tzinfo=UTC)


def timestamp() -> factory.Faker:
    return factory.Faker(
        "date_time_between_dates",
        datetime_start=TIMESTAMP_WINDOW_START,
        datetime_end=TIMESTAMP_WINDOW_END,
        tzinfo=UTC,
    )


def uuid() -> factory.Faker:
    return factory.Faker("uuid4", cast_to=None)


def ipv4() -> factory.LazyFunction:
    # factory-boy's own generator, so reseed_random reproduces the address.
    return factory.LazyFunction(lambda: IPv4Address(factory.random.randgen.getrandbits(32)))


def later(field: str, delta: timedelta) -> factory.LazyAttribute:
    return factory.LazyAttribute(lambda row: getattr(row, field) + delta)


class RowNotPersistedError(RuntimeError):
    """The database refused a factory row; the message carries the persistence error."""


@dataclass(frozen=True)
class ParentLink:
    """A foreign key filled by creating the referenced row when the caller gave no id."""

    field: str
    factory: type[RowFactory[Any]]


class RowFactory(factory.Factory[RowT]):
    """Base of every table factory; `_table` and `_parents` are not row fields."""

    class Meta:
        abstract = True
        strategy = factory.BUILD_STRATEGY

    _table: ClassVar[Table]
    _parents: ClassVar[tuple[ParentLink, ...]] = ()

    @classmethod
    def create(  # type: ignore[override]  # persisting needs the connection
        cls, connection: Connection, **overrides: Any
    ) -> RowT:
        """Create the parents that are missing, insert the row, return it as stored."""
        for link in cls._parents:
            if link.field not in overrides:
                overrides[link.field] = link.factory.create(connection=connection).id
        return cls._persist(connection, cls.build(**overrides))

    @classmethod
    def create_batch(  # type: ignore[override]  # persisting needs the connection
        cls, size: int, connection: Connection, **overrides: Any
    ) -> list[RowT]:
        return [cls.create(connection=connection, **overrides) for _ in range(size)]

    @classmethod
    def _persist(cls, connection: Connection, row: RowT) -> RowT:
        return persisted(insert_row(connection, cls._table, row))


def persisted(outcome: IOResult[RowT, object]) -> RowT:
    """The stored row, or RowNotPersistedError: factories are test and demo entry points."""
    if not is_successful(outcome):
        raise RowNotPersistedError(str(unsafe_perform_io(outcome.failure())))
    return unsafe_perform_io(outcome.unwrap())
