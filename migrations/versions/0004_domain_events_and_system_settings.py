"""The domain event outbox and the key/value system settings.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

domain_event_status = postgresql.ENUM(
    "pending", "processing", "published", "failed", name="domain_event_status", create_type=False
)


def upgrade() -> None:
    domain_event_status.create(op.get_bind(), checkfirst=False)

    op.create_table(
        "domain_events",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True,
                  server_default=sa.func.gen_random_uuid()),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("aggregate_type", sa.Text(), nullable=False),
        sa.Column("aggregate_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("sequence_number", sa.BigInteger(), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("correlation_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("status", domain_event_status, nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("sequence_number > 0",
                           name=op.f("ck_domain_events_sequence_number_positive")),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_domain_events_attempts_not_negative")),
        sa.CheckConstraint("event_type ~ '^[a-z][a-z_]*\\.[a-z][a-z_]*$'",
                           name=op.f("ck_domain_events_event_type_format")),
        sa.CheckConstraint("(status = 'published') = (published_at IS NOT NULL)",
                           name=op.f("ck_domain_events_published_at_matches_status")),
        sa.CheckConstraint(
            "(status = 'failed') = (failed_at IS NOT NULL AND failure_reason IS NOT NULL)",
            name=op.f("ck_domain_events_failure_matches_status")),
        sa.PrimaryKeyConstraint("id", name="pk_domain_events"),
        sa.UniqueConstraint("aggregate_type", "aggregate_id", "sequence_number",
                            name="uq_domain_events_aggregate_type_aggregate_id_sequence_number"),
    )  # fmt: skip
    op.create_index(
        "ix_domain_events_pending_occurred_at", "domain_events", ["occurred_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )  # fmt: skip
    op.create_index(
        "ix_domain_events_published_at", "domain_events", ["published_at"],
        postgresql_where=sa.text("status = 'published'"),
    )  # fmt: skip
    op.create_index(
        "ix_domain_events_failed_at", "domain_events", ["failed_at"],
        postgresql_where=sa.text("status = 'failed'"),
    )  # fmt: skip

    op.create_table(
        "system_settings",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", postgresql.JSONB(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("key ~ '^[a-z][a-z0-9_.]*$'",
                           name=op.f("ck_system_settings_key_format")),
        sa.PrimaryKeyConstraint("key", name="pk_system_settings"),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("system_settings")
    op.drop_table("domain_events")
    domain_event_status.drop(op.get_bind(), checkfirst=False)
