"""Processed events: what each consumer of domain events has handled, with its effect.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

A handler records (consumer, event_id) in the transaction of its effect, so a
redelivered event finds its record and changes nothing twice. There is no
foreign key to domain_events: retention prunes events and records independently.

The runtime role records, reads and prunes (retention) records but never
rewrites one, so UPDATE, which the default privileges grant on every table, is
revoked, but for the surrogate `id`: the retention prune locks its batch with
FOR UPDATE SKIP LOCKED, and PostgreSQL allows row locks only to a role that may
update some column. Nothing refers to `id`, so that grant changes no record.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVOKE_UPDATE = """
REVOKE UPDATE ON processed_events FROM strata_runtime;
GRANT UPDATE (id) ON processed_events TO strata_runtime;
"""


def upgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("event_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False,
                  server_default=sa.func.gen_random_uuid()),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("btrim(consumer) <> ''",
                           name=op.f("ck_processed_events_consumer_not_blank")),
        sa.PrimaryKeyConstraint("consumer", "event_id", name="pk_processed_events"),
        sa.UniqueConstraint("id", name="uq_processed_events_id"),
    )  # fmt: skip
    op.create_index("ix_processed_events_processed_at", "processed_events", ["processed_at"])
    op.execute(REVOKE_UPDATE)


def downgrade() -> None:
    op.drop_table("processed_events")
