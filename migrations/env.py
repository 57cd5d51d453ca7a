"""Alembic environment: runs revisions as the migration owner role.

The URL comes from the settings (MIGRATION_DATABASE_URL). A Connection (the
CLI) or Engine (pytest-alembic) passed in `config.attributes["connection"]` is
used instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from infra.db.env import DatabaseSettings
from infra.db.roles import OWNER_ROLE
from infra.db.schema import metadata

# Objects created by a migration belong to the owner role, not to whichever
# login ran it; this assumes that role for the rest of the transaction when the
# login may and the role already works in this database (roles are cluster-wide,
# so it can exist before the first revision ran here; that revision grants it
# the schema and then assumes it itself).
ASSUME_OWNER_ROLE = text(
    "SELECT pg_catalog.set_config('role', rolname, true) FROM pg_catalog.pg_roles "
    "WHERE rolname = :owner AND pg_catalog.pg_has_role(current_user, oid, 'MEMBER') "
    "AND pg_catalog.has_schema_privilege(oid, 'public', 'CREATE')"
)


def run_migrations_offline() -> None:
    context.configure(
        url=DatabaseSettings().owner_url,
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        connection.execute(ASSUME_OWNER_ROLE, {"owner": OWNER_ROLE})
        context.run_migrations()


def run_migrations_online() -> None:
    injected = context.config.attributes.get("connection")
    if isinstance(injected, Connection):
        run_on(injected)
        return
    # pytest-alembic injects an Engine; otherwise connect from the settings.
    engine = injected if isinstance(injected, Engine) else _engine_from_settings()
    with engine.connect() as connection:
        run_on(connection)
    if injected is None:
        engine.dispose()


def _engine_from_settings() -> Engine:
    return create_engine(DatabaseSettings().owner_url, poolclass=NullPool)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
