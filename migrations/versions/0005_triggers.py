"""Triggers: updated_at, email normalization, invitation and domain-event guards, append-only audit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21

Guards raise `check_violation` (SQLSTATE 23514) naming a pseudo-constraint,
so the repositories translate them exactly like CHECK constraints: by
SQLSTATE and constraint name, never by message text.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SET_UPDATED_AT = """
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Only a real change moves updated_at; a no-op UPDATE keeps the old value,
    -- and so does a caller trying to set it by hand.
    IF (to_jsonb(NEW) - 'updated_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at') THEN
        NEW.updated_at := now();
    ELSE
        NEW.updated_at := OLD.updated_at;
    END IF;
    RETURN NEW;
END
$$;
"""

NORMALIZE_EMAIL = """
CREATE FUNCTION normalize_email() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.email := lower(btrim(NEW.email));
    RETURN NEW;
END
$$;
"""

GUARD_INVITATION_STATUS = """
CREATE FUNCTION guard_invitation_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'pending' THEN
        IF NEW.status <> OLD.status
           OR NEW.accepted_at IS DISTINCT FROM OLD.accepted_at
           OR NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
            RAISE EXCEPTION 'invitation % is %, a final state', OLD.id, OLD.status
                USING ERRCODE = 'check_violation',
                      CONSTRAINT = 'invitations_terminal_state_is_final';
        END IF;
        RETURN NEW;
    END IF;

    IF NEW.status = 'accepted' THEN
        NEW.accepted_at := coalesce(NEW.accepted_at, now());
    ELSIF NEW.status = 'revoked' THEN
        NEW.revoked_at := coalesce(NEW.revoked_at, now());
    END IF;

    IF (NEW.status = 'accepted') <> (NEW.accepted_at IS NOT NULL)
       OR (NEW.status = 'revoked') <> (NEW.revoked_at IS NOT NULL) THEN
        RAISE EXCEPTION 'invitation % timestamps do not match status %', NEW.id, NEW.status
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'invitations_timestamps_match_status';
    END IF;
    RETURN NEW;
END
$$;
"""

GUARD_DOMAIN_EVENT_UPDATE = """
CREATE FUNCTION guard_domain_event_update() RETURNS trigger
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

REJECT_AUDIT_EVENT_UPDATE = """
CREATE FUNCTION reject_audit_event_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'auth_audit_events is append-only: rows are inserted and pruned, never updated'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'auth_audit_events_append_only';
END
$$;
"""

CREATE_TRIGGERS = """
CREATE TRIGGER organizations_set_updated_at BEFORE UPDATE ON organizations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER invitations_set_updated_at BEFORE UPDATE ON invitations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER system_settings_set_updated_at BEFORE UPDATE ON system_settings
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER users_normalize_email BEFORE INSERT OR UPDATE OF email ON users
    FOR EACH ROW EXECUTE FUNCTION normalize_email();
CREATE TRIGGER invitations_normalize_email BEFORE INSERT OR UPDATE OF email ON invitations
    FOR EACH ROW EXECUTE FUNCTION normalize_email();

CREATE TRIGGER invitations_guard_status BEFORE UPDATE ON invitations
    FOR EACH ROW EXECUTE FUNCTION guard_invitation_status();

CREATE TRIGGER domain_events_guard_update BEFORE UPDATE ON domain_events
    FOR EACH ROW EXECUTE FUNCTION guard_domain_event_update();

CREATE TRIGGER auth_audit_events_reject_update BEFORE UPDATE ON auth_audit_events
    FOR EACH ROW EXECUTE FUNCTION reject_audit_event_update();
"""

DROP_TRIGGERS = """
DROP TRIGGER auth_audit_events_reject_update ON auth_audit_events;
DROP TRIGGER domain_events_guard_update ON domain_events;
DROP TRIGGER invitations_guard_status ON invitations;
DROP TRIGGER invitations_normalize_email ON invitations;
DROP TRIGGER users_normalize_email ON users;
DROP TRIGGER system_settings_set_updated_at ON system_settings;
DROP TRIGGER invitations_set_updated_at ON invitations;
DROP TRIGGER users_set_updated_at ON users;
DROP TRIGGER organizations_set_updated_at ON organizations;
"""

FUNCTIONS = (
    SET_UPDATED_AT,
    NORMALIZE_EMAIL,
    GUARD_INVITATION_STATUS,
    GUARD_DOMAIN_EVENT_UPDATE,
    REJECT_AUDIT_EVENT_UPDATE,
)

DROP_FUNCTIONS = """
DROP FUNCTION reject_audit_event_update();
DROP FUNCTION guard_domain_event_update();
DROP FUNCTION guard_invitation_status();
DROP FUNCTION normalize_email();
DROP FUNCTION set_updated_at();
"""


def upgrade() -> None:
    for function in FUNCTIONS:
        op.execute(function)
    op.execute(CREATE_TRIGGERS)


def downgrade() -> None:
    op.execute(DROP_TRIGGERS)
    op.execute(DROP_FUNCTIONS)
