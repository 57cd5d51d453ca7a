"""Turn "the database is not there" into one clear line instead of a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError


class DatabaseUnavailableError(RuntimeError):
    """PostgreSQL could not be reached; the message names host and port."""


def unavailable(url: str, error: OperationalError) -> DatabaseUnavailableError:
    parsed = make_url(url)
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    # libpq repeats the address in its reason; keep only what it adds.
    reason = reason.split(" failed: ")[-1]
    return DatabaseUnavailableError(
        f"cannot connect to PostgreSQL at {where} (database {parsed.database!r}): {reason}"
    )


@contextmanager
def owner_transaction(engine: Engine) -> Iterator[Connection]:
    """Connect (one clear error when the server is unreachable) and run one transaction."""
    try:
        connection = engine.connect()
    except OperationalError as error:
        raise unavailable(engine.url.render_as_string(hide_password=True), error) from error
    with connection, connection.begin():
        yield connection
