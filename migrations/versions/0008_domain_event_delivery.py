"""Domain-event delivery state: availability, leases, the last error, and the guarded transitions.

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-30

Existing rows are backfilled: every event becomes available now (a pending one
is deliverable at once), and an event already `processing` gets a lease that
has just run out, so the first claim reclaims it (nobody holds it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GUARD_DOMAIN_EVENT_UPDATE = """
CREATE OR REPLACE FUNCTION guard_domain_event_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.event_type, NEW.aggregate_type, NEW.aggregate_id, NEW.sequence_number,
        NEW.payload, NEW.correlation_id, NEW.occurred_at, NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.event_type, OLD.aggregate_type, OLD.aggregate_id, OLD.sequence_number,
        OLD.payload, OLD.correlation_id, OLD.occurred_at, OLD.created_at) THEN
        RAISE EXCEPTION 'domain event % is immutable: only delivery columns may change', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'domain_events_immutable';
    END IF;

    IF NEW.attempts < OLD.attempts THEN
        RAISE EXCEPTION 'domain event % attempts may not decrease', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'domain_events_attempts_monotonic';
    END IF;

    -- Delivery moves pending -> processing (a claim) -> published | failed (a dead
    -- letter) | pending (a retry after backoff). Failed -> pending is an operator's
    -- decision, so it needs more than an UPDATE of the row: the retry statement sets
    -- the transaction-local strata.operator_retry in the same statement. A setting,
    -- not a column value, because no ordinary UPDATE can set it by accident, and
    -- transaction-local so it is gone when the retry commits. An unset setting reads
    -- as NULL, which must refuse: hence IS NOT DISTINCT FROM. Published is final.
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'pending'    AND NEW.status = 'processing')
        OR (OLD.status = 'processing' AND NEW.status IN ('published', 'failed', 'pending'))
        OR (OLD.status = 'failed'     AND NEW.status = 'pending'
            AND current_setting('strata.operator_retry', true) IS NOT DISTINCT FROM 'on')
    ) THEN
        RAISE EXCEPTION 'domain event % cannot move from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'domain_events_status_transition',
                  HINT = 'a failed event returns to pending only through an operator retry';
    END IF;
    IF OLD.status = 'published' AND NEW IS DISTINCT FROM OLD THEN
        RAISE EXCEPTION 'domain event % is published, a final state', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'domain_events_status_transition';
    END IF;

    IF NEW.status = 'published' THEN
        NEW.published_at := coalesce(NEW.published_at, now());
    ELSIF NEW.status = 'failed' THEN
        NEW.failed_at := coalesce(NEW.failed_at, now());
    ELSIF OLD.status = 'failed' THEN
        -- A retried event starts a fresh delivery attempt.
        NEW.failed_at := NULL;
        NEW.failure_reason := NULL;
    END IF;
    -- Leaving processing ends the lease, whoever moves the event.
    IF NEW.status <> 'processing' THEN
        NEW.locked_until := NULL;
    END IF;
    RETURN NEW;
END
$$;
"""

# The body of revision 0005, restored on downgrade.
PREVIOUS_GUARD_DOMAIN_EVENT_UPDATE = """
CREATE OR REPLACE FUNCTION guard_domain_event_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.event_type, NEW.aggregate_type, NEW.aggregate_id, NEW.sequence_number,
        NEW.payload, NEW.correlation_id, NEW.occurred_at, NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.event_type, OLD.aggregate_type, OLD.aggregate_id, OLD.sequence_number,
        OLD.payload, OLD.correlation_id, OLD.occurred_at, OLD.created_at) THEN
        RAISE EXCEPTION 'domain event % is immutable: only delivery columns may change', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'domain_events_immutable';
    END IF;

    IF NEW.attempts < OLD.attempts THEN
        RAISE EXCEPTION 'domain event % attempts may not decrease', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'domain_events_attempts_monotonic';
    END IF;

    -- Delivery moves pending -> processing -> published | failed; processing
    -- may go back to pending (a released lease) and failed may be requeued.
    -- Published is final.
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'pending'    AND NEW.status = 'processing')
        OR (OLD.status = 'processing' AND NEW.status IN ('published', 'failed', 'pending'))
        OR (OLD.status = 'failed'     AND NEW.status = 'pending')
    ) THEN
        RAISE EXCEPTION 'domain event % cannot move from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'domain_events_status_transition';
    END IF;
    IF OLD.status = 'published' AND NEW IS DISTINCT FROM OLD THEN
        RAISE EXCEPTION 'domain event % is published, a final state', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'domain_events_status_transition';
    END IF;

    IF NEW.status = 'published' THEN
        NEW.published_at := coalesce(NEW.published_at, now());
    ELSIF NEW.status = 'failed' THEN
        NEW.failed_at := coalesce(NEW.failed_at, now());
    ELSIF OLD.status = 'failed' THEN
        -- A requeued event starts a fresh delivery attempt.
        NEW.failed_at := NULL;
        NEW.failure_reason := NULL;
    END IF;
    RETURN NEW;
END
$$;
"""

# The lease of an event already processing: run out at once, so the first claim reclaims it.
BACKFILL_LEASES = "UPDATE domain_events SET locked_until = now() WHERE status = 'processing'"


def upgrade() -> None:
    op.execute(GUARD_DOMAIN_EVENT_UPDATE)
    # now() is stable, so PostgreSQL stores it once as the existing rows' value: no rewrite.
    op.add_column(
        "domain_events",
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
    )  # fmt: skip
    op.add_column(
        "domain_events", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("domain_events", sa.Column("last_error", sa.Text(), nullable=True))
    op.execute(BACKFILL_LEASES)
    op.create_check_constraint(
        op.f("ck_domain_events_lease_matches_status"), "domain_events",
        "(status = 'processing') = (locked_until IS NOT NULL)",
    )  # fmt: skip
    op.drop_index("ix_domain_events_pending_occurred_at", table_name="domain_events")
    op.create_index(
        "ix_domain_events_pending_available_at", "domain_events", ["available_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )  # fmt: skip
    op.create_index(
        "ix_domain_events_processing_locked_until", "domain_events", ["locked_until"],
        postgresql_where=sa.text("status = 'processing'"),
    )  # fmt: skip
    op.create_index(
        "ix_domain_events_undelivered_stream", "domain_events",
        ["aggregate_type", "aggregate_id", "sequence_number"],
        postgresql_where=sa.text("status IN ('pending', 'processing')"),
    )  # fmt: skip


def downgrade() -> None:
    op.execute(PREVIOUS_GUARD_DOMAIN_EVENT_UPDATE)
    op.drop_index("ix_domain_events_undelivered_stream", table_name="domain_events")
    op.drop_index("ix_domain_events_processing_locked_until", table_name="domain_events")
    op.drop_index("ix_domain_events_pending_available_at", table_name="domain_events")
    op.create_index(
        "ix_domain_events_pending_occurred_at", "domain_events", ["occurred_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )  # fmt: skip
    op.drop_constraint(
        op.f("ck_domain_events_lease_matches_status"), "domain_events", type_="check"
    )
    op.drop_column("domain_events", "last_error")
    op.drop_column("domain_events", "locked_until")
    op.drop_column("domain_events", "available_at")
