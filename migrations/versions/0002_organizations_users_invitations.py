"""Organizations, users and invitations, with their enum types.

Check constraint names are wrapped in op.f(): they are final, so the naming
convention of the target metadata must not prefix them again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

subscription_status = postgresql.ENUM(
    "trialing", "active", "past_due", "canceled", name="subscription_status", create_type=False
)
user_role = postgresql.ENUM("owner", "admin", "member", name="user_role", create_type=False)
invitation_status = postgresql.ENUM(
    "pending", "accepted", "revoked", "expired", name="invitation_status", create_type=False
)
ENUMS = (subscription_status, user_role, invitation_status)


def _uuid_pk() -> sa.Column[object]:
    return sa.Column(
        "id", postgresql.UUID(as_uuid=True), primary_key=True,
        server_default=sa.func.gen_random_uuid(),
    )  # fmt: skip


def _stamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    bind = op.get_bind()
    for enum in ENUMS:
        enum.create(bind, checkfirst=False)

    op.create_table(
        "organizations",
        _uuid_pk(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("billing_email", sa.Text(), nullable=False),
        sa.Column("is_subscribed", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.Column("subscription_status", subscription_status, nullable=False,
                  server_default="trialing"),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.CheckConstraint("btrim(name) <> ''", name=op.f("ck_organizations_name_not_blank")),
        sa.PrimaryKeyConstraint("id", name="pk_organizations"),
    )  # fmt: skip

    op.create_table(
        "users",
        _uuid_pk(),
        sa.Column("organization_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", user_role, nullable=False, server_default="member"),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.CheckConstraint("email LIKE '%_@_%'", name=op.f("ck_users_email_has_at_sign")),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name="fk_users_organization_id_organizations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )  # fmt: skip
    op.create_index("ix_users_organization_id", "users", ["organization_id"])

    op.create_table(
        "invitations",
        _uuid_pk(),
        sa.Column("organization_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("role", user_role, nullable=False, server_default="member"),
        sa.Column("status", invitation_status, nullable=False, server_default="pending"),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("invited_by", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.CheckConstraint("email LIKE '%_@_%'", name=op.f("ck_invitations_email_has_at_sign")),
        sa.CheckConstraint("(status = 'accepted') = (accepted_at IS NOT NULL)",
                           name=op.f("ck_invitations_accepted_at_matches_status")),
        sa.CheckConstraint("(status = 'revoked') = (revoked_at IS NOT NULL)",
                           name=op.f("ck_invitations_revoked_at_matches_status")),
        sa.CheckConstraint("expires_at > created_at",
                           name=op.f("ck_invitations_expires_after_creation")),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name="fk_invitations_organization_id_organizations",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by"], ["users.id"],
                                name="fk_invitations_invited_by_users", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.UniqueConstraint("token_hash", name="uq_invitations_token_hash"),
    )  # fmt: skip
    op.create_index("ix_invitations_organization_id", "invitations", ["organization_id"])
    op.create_index(
        "uq_invitations_pending_organization_id_email", "invitations",
        ["organization_id", "email"], unique=True,
        postgresql_where=sa.text("status = 'pending'"),
    )  # fmt: skip
    op.create_index(
        "ix_invitations_terminal_created_at", "invitations", ["created_at"],
        postgresql_where=sa.text("status <> 'pending'"),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("invitations")
    op.drop_table("users")
    op.drop_table("organizations")
    bind = op.get_bind()
    for enum in reversed(ENUMS):
        enum.drop(bind, checkfirst=False)
