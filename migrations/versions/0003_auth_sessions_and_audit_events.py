"""Login sessions and the append-only authentication audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

auth_event_type = postgresql.ENUM(
    "login_succeeded", "login_failed", "logout", "session_revoked",
    name="auth_event_type", create_type=False,
)  # fmt: skip


def upgrade() -> None:
    auth_event_type.create(op.get_bind(), checkfirst=False)

    op.create_table(
        "auth_login_sessions",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True,
                  server_default=sa.func.gen_random_uuid()),
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ip", postgresql.INET(), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.CheckConstraint("expires_at > created_at",
                           name=op.f("ck_auth_login_sessions_expires_after_creation")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name="fk_auth_login_sessions_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_auth_login_sessions"),
    )  # fmt: skip
    op.create_index("ix_auth_login_sessions_user_id", "auth_login_sessions", ["user_id"])

    op.create_table(
        "auth_audit_events",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True,
                  server_default=sa.func.gen_random_uuid()),
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("session_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("event_type", auth_event_type, nullable=False),
        sa.Column("ip", postgresql.INET(), nullable=True),
        sa.Column("metadata", postgresql.JSONB(), nullable=False,
                  server_default=sa.text("'{}'::jsonb")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_auth_audit_events"),
    )  # fmt: skip
    op.create_index("ix_auth_audit_events_user_id", "auth_audit_events", ["user_id"])
    op.create_index("ix_auth_audit_events_created_at", "auth_audit_events", ["created_at"])


def downgrade() -> None:
    op.drop_table("auth_audit_events")
    op.drop_table("auth_login_sessions")
    auth_event_type.drop(op.get_bind(), checkfirst=False)
