"""Domain event streams: one row per aggregate holding its version.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

Appends bump a stream's version and insert the event in one statement; the
version survives retention pruning every event of the aggregate. Existing
aggregates get their stream at their highest sequence number. The runtime role
may read streams, create them and move their version, nothing else: no DELETE
(a stream outlives its events), no UPDATE of the key or the timestamps.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# strata: ignore[DE001] the one-off backfill of the streams that existed before this table
BACKFILL_STREAMS = """
INSERT INTO domain_event_streams (aggregate_type, aggregate_id, version)
SELECT aggregate_type, aggregate_id, max(sequence_number)
FROM domain_events
GROUP BY aggregate_type, aggregate_id;
"""

CREATE_TRIGGER = """
CREATE TRIGGER domain_event_streams_set_updated_at BEFORE UPDATE ON domain_event_streams
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
"""

# Replaces the default privileges (every DML verb) with what an append needs.
GRANT_APPEND_PRIVILEGES = """
REVOKE ALL ON domain_event_streams FROM strata_runtime;
GRANT SELECT, INSERT, UPDATE (version) ON domain_event_streams TO strata_runtime;
"""


def upgrade() -> None:
    op.create_table(
        "domain_event_streams",
        sa.Column("aggregate_type", sa.Text(), nullable=False),
        sa.Column("aggregate_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("version > 0", name=op.f("ck_domain_event_streams_version_positive")),
        sa.PrimaryKeyConstraint("aggregate_type", "aggregate_id",
                                name="pk_domain_event_streams"),
    )  # fmt: skip
    op.execute(BACKFILL_STREAMS)
    op.execute(CREATE_TRIGGER)
    op.execute(GRANT_APPEND_PRIVILEGES)


def downgrade() -> None:
    op.execute("DROP TRIGGER domain_event_streams_set_updated_at ON domain_event_streams;")
    op.drop_table("domain_event_streams")
