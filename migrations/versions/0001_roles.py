"""Roles: a migration owner that owns the schema, a runtime role with DML only.

Revision ID: 0001
Revises:
Create Date: 2026-11-21

Roles are cluster-wide: the upgrade creates them only when missing, and the
downgrade drops them only when no other database still depends on them.
The login running migrations needs CREATEROLE and must own the database (or
be a superuser); it becomes a member of both roles so it can act as them.
The runtime role may log in but has no password here: set one out of band
(`ALTER ROLE strata_runtime PASSWORD ...`) or grant it to a login of your own.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CREATE_ROLES = """
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'strata_owner') THEN
        CREATE ROLE strata_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'strata_runtime') THEN
        CREATE ROLE strata_runtime LOGIN;
    END IF;
END
$roles$;
"""

GRANT_PRIVILEGES = """
GRANT strata_owner, strata_runtime TO CURRENT_USER;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO strata_owner;
GRANT USAGE ON SCHEMA public TO strata_runtime;
ALTER DEFAULT PRIVILEGES FOR ROLE strata_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO strata_runtime;
ALTER DEFAULT PRIVILEGES FOR ROLE strata_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO strata_runtime;
ALTER TABLE alembic_version OWNER TO strata_owner;
"""

# Temporary tables are DDL too; PUBLIC may create them in every database by
# default, so the runtime role would keep that right through PUBLIC.
REVOKE_TEMPORARY_TABLES = """
DO $temporary$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$temporary$;
"""

RESTORE_TEMPORARY_TABLES = """
DO $temporary$
BEGIN
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
END
$temporary$;
"""

# Everything after this revision, in this transaction, is created as the owner.
ASSUME_OWNER = "SET LOCAL ROLE strata_owner;"

RELEASE_OWNER = """
RESET ROLE;
ALTER TABLE alembic_version OWNER TO SESSION_USER;
"""

DROP_PRIVILEGES = """
ALTER DEFAULT PRIVILEGES FOR ROLE strata_owner IN SCHEMA public
    REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM strata_runtime;
ALTER DEFAULT PRIVILEGES FOR ROLE strata_owner IN SCHEMA public
    REVOKE USAGE, SELECT ON SEQUENCES FROM strata_runtime;
DROP OWNED BY strata_runtime;
DROP OWNED BY strata_owner;
"""

DROP_ROLES_WHEN_UNUSED = """
DO $roles$
BEGIN
    IF NOT EXISTS (
        SELECT FROM pg_catalog.pg_shdepend d
        JOIN pg_catalog.pg_roles r ON r.oid = d.refobjid
        WHERE r.rolname IN ('strata_owner', 'strata_runtime')
          AND d.dbid <> (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
          AND d.dbid <> 0
    ) THEN
        DROP ROLE strata_runtime;
        DROP ROLE strata_owner;
    END IF;
END
$roles$;
"""


def upgrade() -> None:
    op.execute(CREATE_ROLES)
    op.execute(GRANT_PRIVILEGES)
    op.execute(REVOKE_TEMPORARY_TABLES)
    op.execute(ASSUME_OWNER)


def downgrade() -> None:
    op.execute(RELEASE_OWNER)
    op.execute(RESTORE_TEMPORARY_TABLES)
    op.execute(DROP_PRIVILEGES)
    op.execute(DROP_ROLES_WHEN_UNUSED)
