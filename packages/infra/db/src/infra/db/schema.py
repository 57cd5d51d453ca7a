"""The database schema as SQLAlchemy Core tables: the single source the migrations must match.

Every table is a module-level constant on `metadata`. Triggers, roles and
grants are not expressible here; they live in the migrations and are proven by
the pgTAP suites in `sql_tests/`.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import INET, JSON, JSONB, UUID

# Deterministic constraint names let migrations, error translation and pgTAP
# refer to constraints by a name that never changes between environments.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

SUBSCRIPTION_STATUSES = ("trialing", "active", "past_due", "canceled")
USER_ROLES = ("owner", "admin", "member")
INVITATION_STATUSES = ("pending", "accepted", "revoked", "expired")
AUTH_EVENT_TYPES = ("login_succeeded", "login_failed", "logout", "session_revoked")
DOMAIN_EVENT_STATUSES = ("pending", "processing", "published", "failed")

subscription_status = Enum(*SUBSCRIPTION_STATUSES, name="subscription_status", metadata=metadata)
user_role = Enum(*USER_ROLES, name="user_role", metadata=metadata)
invitation_status = Enum(*INVITATION_STATUSES, name="invitation_status", metadata=metadata)
auth_event_type = Enum(*AUTH_EVENT_TYPES, name="auth_event_type", metadata=metadata)
domain_event_status = Enum(*DOMAIN_EVENT_STATUSES, name="domain_event_status", metadata=metadata)


organizations = Table(
    "organizations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("name", Text, nullable=False),
    Column("billing_email", Text, nullable=False),
    Column("is_subscribed", Boolean, nullable=False, server_default=text("false")),
    Column("subscription_status", subscription_status, nullable=False,
           server_default="trialing"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("btrim(name) <> ''", name="name_not_blank"),
)  # fmt: skip

users = Table(
    "users",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("organization_id", UUID(as_uuid=True),
           ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("email", Text, nullable=False, unique=True),
    Column("display_name", Text, nullable=False),
    Column("role", user_role, nullable=False, server_default="member"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("email LIKE '%_@_%'", name="email_has_at_sign"),
)  # fmt: skip

invitations = Table(
    "invitations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("organization_id", UUID(as_uuid=True),
           ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("email", Text, nullable=False),
    Column("role", user_role, nullable=False, server_default="member"),
    Column("status", invitation_status, nullable=False, server_default="pending"),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("invited_by", UUID(as_uuid=True),
           ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("email LIKE '%_@_%'", name="email_has_at_sign"),
    CheckConstraint("(status = 'accepted') = (accepted_at IS NOT NULL)",
                    name="accepted_at_matches_status"),
    CheckConstraint("(status = 'revoked') = (revoked_at IS NOT NULL)",
                    name="revoked_at_matches_status"),
    CheckConstraint("expires_at > created_at", name="expires_after_creation"),
    # One open invitation per address and organization; closed ones may repeat.
    Index("uq_invitations_pending_organization_id_email", "organization_id", "email",
          unique=True, postgresql_where=text("status = 'pending'")),
    # Serves retention: terminal invitations ordered by age.
    Index("ix_invitations_terminal_created_at", "created_at",
          postgresql_where=text("status <> 'pending'")),
)  # fmt: skip

auth_login_sessions = Table(
    "auth_login_sessions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("user_id", UUID(as_uuid=True),
           ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("ip", INET, nullable=True),
    Column("user_agent", Text, nullable=True),
    CheckConstraint("expires_at > created_at", name="expires_after_creation"),
)  # fmt: skip

# Audit rows outlive the users and sessions they mention, so these ids carry
# no foreign keys (a cascading SET NULL would also be an UPDATE, which the
# append-only trigger forbids).
auth_audit_events = Table(
    "auth_audit_events",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("user_id", UUID(as_uuid=True), nullable=True, index=True),
    Column("session_id", UUID(as_uuid=True), nullable=True),
    Column("event_type", auth_event_type, nullable=False),
    Column("ip", INET, nullable=True),
    Column("metadata", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_auth_audit_events_created_at", "created_at"),
)  # fmt: skip

domain_events = Table(
    "domain_events",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("event_type", Text, nullable=False),
    Column("aggregate_type", Text, nullable=False),
    Column("aggregate_id", UUID(as_uuid=True), nullable=False),
    Column("sequence_number", BigInteger, nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("correlation_id", UUID(as_uuid=True), nullable=True),
    Column("status", domain_event_status, nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Column("failed_at", DateTime(timezone=True), nullable=True),
    Column("failure_reason", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Delivery: when the event may next be claimed (a retry's backoff moves it on), when
    # the current claim's lease runs out, and what the last failed attempt reported.
    Column("available_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=True),
    UniqueConstraint("aggregate_type", "aggregate_id", "sequence_number"),
    CheckConstraint("sequence_number > 0", name="sequence_number_positive"),
    CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    CheckConstraint("event_type ~ '^[a-z][a-z_]*\\.[a-z][a-z_]*$'", name="event_type_format"),
    CheckConstraint("(status = 'published') = (published_at IS NOT NULL)",
                    name="published_at_matches_status"),
    CheckConstraint("(status = 'failed') = (failed_at IS NOT NULL AND failure_reason IS NOT NULL)",
                    name="failure_matches_status"),
    CheckConstraint("(status = 'processing') = (locked_until IS NOT NULL)",
                    name="lease_matches_status"),
    # A claim takes pending events in the order they became available, and expired
    # leases in the order they ran out, each along its own small partial index.
    Index("ix_domain_events_pending_available_at", "available_at",
          postgresql_where=text("status = 'pending'")),
    Index("ix_domain_events_processing_locked_until", "locked_until",
          postgresql_where=text("status = 'processing'")),
    # Per-aggregate order: "is an earlier event of this aggregate still undelivered?"
    # reads only the undelivered events, however long the aggregate's history.
    Index("ix_domain_events_undelivered_stream", "aggregate_type", "aggregate_id",
          "sequence_number", postgresql_where=text("status IN ('pending', 'processing')")),
    # Retention prunes completed events by their completion time.
    Index("ix_domain_events_published_at", "published_at",
          postgresql_where=text("status = 'published'")),
    Index("ix_domain_events_failed_at", "failed_at",
          postgresql_where=text("status = 'failed'")),
)  # fmt: skip

# One row per aggregate that has ever had an event: its version is the sequence
# number of its last event. Appends bump it in the statement that inserts the
# event, so the row lock orders the writers of one stream, and the version
# outlives retention pruning the events themselves.
domain_event_streams = Table(
    "domain_event_streams",
    metadata,
    Column("aggregate_type", Text, primary_key=True),
    Column("aggregate_id", UUID(as_uuid=True), primary_key=True),
    Column("version", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("version > 0", name="version_positive"),
)  # fmt: skip

system_settings = Table(
    "system_settings",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", JSONB, nullable=False),
    Column("description", Text, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("key ~ '^[a-z][a-z0-9_.]*$'", name="key_format"),
)  # fmt: skip

# The retention ledger: one row per prune transaction, written by that transaction, so what a
# run deleted is known exactly even when a worker dies before reporting it.
retention_prune_batches = Table(
    "retention_prune_batches",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("run_key", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("cutoff", DateTime(timezone=True), nullable=False),
    Column("rows_deleted", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("btrim(run_key) <> ''", name="run_key_not_blank"),
    CheckConstraint("rows_deleted >= 0", name="rows_deleted_not_negative"),
    # A run's totals per target.
    Index("ix_retention_prune_batches_run_key_target", "run_key", "target"),
    # Retention prunes the ledger itself by age.
    Index("ix_retention_prune_batches_recorded_at", "recorded_at"),
)  # fmt: skip

# A command's key, recorded in the command's own transaction (core.use_cases.idempotent).
# The key formats repeat core.domains.idempotency.entities.KEY_PATTERN.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    # A surrogate id like every retention target's: the prune, the seeds and the
    # benchmarks address rows by `id`; lookups go through the unique key.
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("key", Text, nullable=False, unique=True),
    Column("command", Text, nullable=False),
    Column("fingerprint", Text, nullable=False),
    # json, not jsonb: kept as written, so a replay prints the first run's keys in their
    # order (jsonb reorders them); nothing ever queries inside a result.
    Column("result", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("key ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'", name="key_format"),
    CheckConstraint("command ~ '^[A-Z][A-Za-z0-9]*$'", name="command_format"),
    CheckConstraint("fingerprint ~ '^[0-9a-f]{64}$'", name="fingerprint_format"),
    CheckConstraint("json_typeof(result) = 'object'", name="result_is_object"),
    # Retention prunes keys by age.
    Index("ix_idempotency_keys_created_at", "created_at"),
)  # fmt: skip

# What each consumer of domain events has processed, recorded in the transaction of its effect
# (core.use_cases.once_per_event), so a redelivered event changes nothing twice. No foreign key
# to domain_events: retention prunes events and these records independently.
processed_events = Table(
    "processed_events",
    metadata,
    Column("consumer", Text, nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    # A surrogate id like every retention target's: the prune, the seeds and the
    # benchmarks address rows by `id`; a handler goes through the primary key.
    Column("id", UUID(as_uuid=True), nullable=False, unique=True,
           server_default=func.gen_random_uuid()),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("consumer", "event_id"),
    CheckConstraint("btrim(consumer) <> ''", name="consumer_not_blank"),
    # Retention prunes records by age.
    Index("ix_processed_events_processed_at", "processed_at"),
)  # fmt: skip

# The trial an organization starts with, written once by its onboarding
# (core.use_cases.start_organization_trial).
organization_trials = Table(
    "organization_trials",
    metadata,
    Column("organization_id", UUID(as_uuid=True),
           ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("ends_at > started_at", name="ends_after_start"),
)  # fmt: skip
