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


def example_email(local_part: str) -> factory.LazyAttribute:
    """`<local_part>.<12 hex digits of the row's id>@example.test`: unique as the id is."""
    return factory.LazyAttribute(lambda row: f"{local_part}.{row.id.hex[:12]}@example.test")


class RowNotPersistedError(RuntimeError):
    """The database refused a factory row; the message carries the persistence error."""


class ParentId(factory.Faker):
    """A foreign key: a random id when built; when created without one, a new parent's id."""

    def __init__(self, parent: type[RowFactory[Any]]) -> None:
        super().__init__("uuid4", cast_to=None)
        self.parent = parent


@dataclass(frozen=True)
class ParentLink:
    """A foreign key filled by creating the referenced row when the caller gave no id."""

    field: str
    factory: type[RowFactory[Any]]


class RowFactory(factory.Factory[RowT]):
    """Base of every table factory; `_table` is not a row field."""

    class Meta:
        abstract = True
        strategy = factory.BUILD_STRATEGY

    _table: ClassVar[Table]

    @classmethod
    def parent_links(cls) -> tuple[ParentLink, ...]:
        """The foreign keys declared as `ParentId`, in declaration order."""
        return tuple(
            ParentLink(name, declaration.parent)
            for name, declaration in cls._meta.pre_declarations.as_dict().items()
            if isinstance(declaration, ParentId)
        )

    @classmethod
    def create(  # type: ignore[override]  # persisting needs the connection
        cls, connection: Connection, **overrides: Any
    ) -> RowT:
        """Create the parents that are missing, insert the row, return it as stored."""
        for link in cls.parent_links():
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
