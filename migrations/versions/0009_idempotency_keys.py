"""Idempotency keys: each command run under a key, the request it made and its result.

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-30

The runtime role inserts a key with its result in the command's transaction,
reads it back on a repeat and deletes old keys (retention); it never updates
one, so UPDATE, which the default privileges grant on every table, is revoked,
but for the surrogate `id`: the retention prune locks its batch with
FOR UPDATE SKIP LOCKED, and PostgreSQL allows row locks only to a role that
may update some column. Nothing refers to `id`, so that grant changes no
key, request or result.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVOKE_UPDATE = """
REVOKE UPDATE ON idempotency_keys FROM strata_runtime;
GRANT UPDATE (id) ON idempotency_keys TO strata_runtime;
"""


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True,
                  server_default=sa.func.gen_random_uuid()),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("result", postgresql.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("key ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'",
                           name=op.f("ck_idempotency_keys_key_format")),
        sa.CheckConstraint("command ~ '^[A-Z][A-Za-z0-9]*$'",
                           name=op.f("ck_idempotency_keys_command_format")),
        sa.CheckConstraint("fingerprint ~ '^[0-9a-f]{64}$'",
                           name=op.f("ck_idempotency_keys_fingerprint_format")),
        sa.CheckConstraint("json_typeof(result) = 'object'",
                           name=op.f("ck_idempotency_keys_result_is_object")),
        sa.PrimaryKeyConstraint("id", name="pk_idempotency_keys"),
        sa.UniqueConstraint("key", name="uq_idempotency_keys_key"),
    )  # fmt: skip
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])
    op.execute(REVOKE_UPDATE)


def downgrade() -> None:
    op.drop_table("idempotency_keys")
