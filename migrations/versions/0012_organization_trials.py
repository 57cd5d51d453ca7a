"""Organization trials: the trial each organization's onboarding starts, written once.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

The runtime role starts a trial and reads it; nothing it runs changes or
removes one (the row goes with its organization, by the cascade), so UPDATE
and DELETE, which the default privileges grant on every table, are revoked.
A row is never updated, so it has no `updated_at` and no trigger.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVOKE_UPDATE_AND_DELETE = "REVOKE UPDATE, DELETE ON organization_trials FROM strata_runtime"


def upgrade() -> None:
    op.create_table(
        "organization_trials",
        sa.Column("organization_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("ends_at > started_at",
                           name=op.f("ck_organization_trials_ends_after_start")),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name="fk_organization_trials_organization_id_organizations",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("organization_id", name="pk_organization_trials"),
    )  # fmt: skip
    op.execute(REVOKE_UPDATE_AND_DELETE)


def downgrade() -> None:
    op.drop_table("organization_trials")
