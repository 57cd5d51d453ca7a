"""The retention ledger: one row per prune transaction, written in that transaction.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-30

The runtime role records batches, reads totals and prunes old entries, but
never rewrites what a batch recorded: an audit trail is only appended to (and
aged out). Its prune locks rows (FOR UPDATE SKIP LOCKED, like every target),
which PostgreSQL allows only with UPDATE on some column: `id`, whose change
would alter no recorded fact, is the one granted.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVOKE_UPDATE = "REVOKE UPDATE ON retention_prune_batches FROM strata_runtime"
GRANT_ROW_LOCKS = "GRANT UPDATE (id) ON retention_prune_batches TO strata_runtime"


def upgrade() -> None:
    op.create_table(
        "retention_prune_batches",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True,
                  server_default=sa.func.gen_random_uuid()),
        sa.Column("run_key", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("cutoff", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_deleted", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("btrim(run_key) <> ''",
                           name=op.f("ck_retention_prune_batches_run_key_not_blank")),
        sa.CheckConstraint("rows_deleted >= 0",
                           name=op.f("ck_retention_prune_batches_rows_deleted_not_negative")),
        sa.PrimaryKeyConstraint("id", name="pk_retention_prune_batches"),
    )  # fmt: skip
    op.create_index(
        "ix_retention_prune_batches_run_key_target", "retention_prune_batches",
        ["run_key", "target"],
    )  # fmt: skip
    op.create_index(
        "ix_retention_prune_batches_recorded_at", "retention_prune_batches", ["recorded_at"]
    )
    # The schema's default privileges grant every new table full DML; take UPDATE back.
    op.execute(REVOKE_UPDATE)
    op.execute(GRANT_ROW_LOCKS)


def downgrade() -> None:
    op.drop_table("retention_prune_batches")
