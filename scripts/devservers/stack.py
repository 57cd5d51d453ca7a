"""The servers a command runs against: the configured ones, or throw-away ones we start and stop."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from devservers.postgres import EmbeddedPostgres, environment_for
from devservers.processes import ServerStartError
from devservers.settings import StackSettings
from devservers.smtp import EmbeddedSmtp
from devservers.temporal import EmbeddedTemporal

DATABASE_NAME = "strata"


class StackError(RuntimeError):
    """A configured server is unusable; the message is one line naming it."""


@dataclass(frozen=True)
class DatabaseTarget:
    """A database to migrate and test, as the environment variables that point at it."""

    environment: dict[str, str]
    embedded: EmbeddedPostgres | None

    @property
    def owner_url(self) -> str:
        return self.environment["MIGRATION_DATABASE_URL"]

    @property
    def runtime_url(self) -> str:
        return self.environment["DATABASE_URL"]


def libpq_url(url: str) -> str:
    """SQLAlchemy URLs name their driver; libpq (psycopg, psql, pg_prove) does not."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def ensure_reachable(url: str) -> None:
    """Raise StackError with one line naming host and port when the server does not answer."""
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=5):
            return
    except psycopg.OperationalError as error:
        info = psycopg.conninfo.conninfo_to_dict(libpq_url(url))
        where = f"{info.get('host', 'localhost')}:{info.get('port', 5432)}"
        reason = str(error).strip().splitlines()[0].split(" failed: ")[-1]
        raise StackError(f"cannot connect to PostgreSQL at {where}: {reason}") from error


@contextmanager
def database_target(database: str = DATABASE_NAME) -> Iterator[DatabaseTarget]:
    settings = StackSettings()
    if settings.database_url:
        if not settings.migration_database_url:
            raise StackError(
                "DATABASE_URL is set but MIGRATION_DATABASE_URL is not: "
                "set both (runtime role and migration owner)"
            )
        # Only the owner can be checked up front: the runtime role may not exist
        # until the first migration has created it.
        ensure_reachable(settings.migration_database_url)
        yield DatabaseTarget(
            environment={
                "DATABASE_URL": settings.database_url,
                "MIGRATION_DATABASE_URL": settings.migration_database_url,
            },
            embedded=None,
        )
        return
    try:
        server = EmbeddedPostgres()
    except ServerStartError as error:
        raise StackError(str(error)) from error
    with server:
        server.create_database(database)
        yield DatabaseTarget(environment=environment_for(server, database), embedded=server)


@dataclass(frozen=True)
class TemporalTarget:
    environment: dict[str, str]
    ui_url: str | None


@contextmanager
def temporal_target() -> Iterator[TemporalTarget]:
    settings = StackSettings()
    if settings.temporal_address:
        yield TemporalTarget(environment={"TEMPORAL_ADDRESS": settings.temporal_address},
                             ui_url=None)  # fmt: skip
        return
    with EmbeddedTemporal(namespace=settings.temporal_namespace) as server:
        yield TemporalTarget(
            environment={"TEMPORAL_ADDRESS": server.address, "TEMPORAL_UI_URL": server.ui_url},
            ui_url=server.ui_url,
        )


@dataclass(frozen=True)
class SmtpTarget:
    """Where Strata's mail goes: `capture` is the server we started, None for a configured one."""

    environment: dict[str, str]
    capture: EmbeddedSmtp | None


@contextmanager
def smtp_target() -> Iterator[SmtpTarget]:
    settings = StackSettings()
    if settings.smtp_host:
        # The SMTP_* variables already set reach every step unchanged, credentials included.
        yield SmtpTarget(environment={}, capture=None)
        return
    with EmbeddedSmtp() as server:
        yield SmtpTarget(environment=server.environment, capture=server)


def create_scratch_database(owner_url: str, name: str) -> str:
    """Create (or recreate) a database next to the owner's; return its SQLAlchemy URL."""
    drop_database(owner_url, name)
    with psycopg.connect(libpq_url(owner_url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return on_database(owner_url, name)


@contextmanager
def scratch_database(target: DatabaseTarget, name: str) -> Iterator[dict[str, str]]:
    """A database of its own next to the target's, for work that commits; dropped on exit.

    Yields the environment that points Strata at it: `DATABASE_URL` as the
    runtime role, `MIGRATION_DATABASE_URL` as the owner (not yet migrated).
    """
    owner_url = create_scratch_database(target.owner_url, name)
    try:
        yield {
            "MIGRATION_DATABASE_URL": owner_url,
            "DATABASE_URL": on_database(target.runtime_url, name),
        }
    finally:
        drop_database(target.owner_url, name)


def on_database(url: str, database: str) -> str:
    """The same server, login and options, pointed at another database."""
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def drop_database(owner_url: str, name: str) -> None:
    with psycopg.connect(libpq_url(owner_url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
