"""In-memory fakes of the core ports, for unit tests of the use cases only."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from returns.io import IOFailure, IOResult, IOSuccess
from returns.pipeline import is_successful

from core.domains.auth.entities import AuditEvent, LoginSession, NewAuditEvent
from core.domains.domain_events.entities import NewDomainEvent, StoredDomainEvent
from core.domains.domain_events.errors import VersionConflict
from core.domains.idempotency.entities import IdempotencyRecord, NewIdempotencyRecord
from core.domains.invitations.entities import Invitation, NewInvitation
from core.domains.organizations.entities import NewOrganization, Organization
from core.domains.organizations.trials import NewOrganizationTrial, OrganizationTrial
from core.domains.users.entities import NewUser, User
from core.errors import Conflict, NotFound, RuleViolated

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class FixedClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


@dataclass
class Tables:
    organizations: dict[UUID, Organization] = field(default_factory=dict)
    users: dict[UUID, User] = field(default_factory=dict)
    invitations: dict[UUID, Invitation] = field(default_factory=dict)
    sessions: dict[UUID, LoginSession] = field(default_factory=dict)
    audit: list[AuditEvent] = field(default_factory=list)
    events: list[StoredDomainEvent] = field(default_factory=list)
    idempotency_keys: dict[str, IdempotencyRecord] = field(default_factory=dict)
    processed_events: set[tuple[str, UUID]] = field(default_factory=set)
    trials: dict[UUID, OrganizationTrial] = field(default_factory=dict)


class FakeRepositories:
    """Every port over plain dicts; `fail_on` makes the named operation fail once reached."""

    def __init__(self, tables: Tables, fail_on: str | None) -> None:
        self.t = tables
        self.fail_on = fail_on
        self.organizations = self
        self.users = _Users(self)
        self.invitations = _Invitations(self)
        self.login_sessions = self
        self.audit_log = self
        self.domain_events = self
        self.system_settings = self
        self.idempotency_keys = _IdempotencyKeys(self)
        self.processed_events = _ProcessedEvents(self)
        self.organization_trials = _OrganizationTrials(self)

    def _check(self, operation: str) -> IOResult[None, Any]:
        if operation == self.fail_on:
            return IOFailure(RuleViolated(operation, "injected failure"))
        return IOSuccess(None)

    # organizations
    def add(self, new: Any) -> IOResult[Any, Any]:
        if isinstance(new, NewOrganization):
            org = Organization(uuid4(), new.name, new.billing_email, False, "trialing", NOW, NOW)
            return self._check("organizations.add").map(lambda _: self._store_org(org))
        session = LoginSession(uuid4(), new.user_id, new.created_at, new.expires_at, None,
                               new.ip, new.user_agent)  # fmt: skip
        self.t.sessions[session.id] = session
        return IOSuccess(session)

    def _store_org(self, org: Organization) -> Organization:
        self.t.organizations[org.id] = org
        return org

    def get(self, key: UUID) -> IOResult[Any, Any]:
        found = self.t.organizations.get(key)
        return IOSuccess(found) if found else IOFailure(NotFound("organizations", str(key)))

    # audit log
    def append(self, event: Any, expected_version: int | None = None) -> IOResult[Any, Any]:
        if isinstance(event, NewAuditEvent):
            stored = AuditEvent(uuid4(), event.user_id, event.session_id, event.event_type,
                                event.ip, event.metadata, event.created_at)  # fmt: skip
            self.t.audit.append(stored)
            return IOSuccess(stored)
        return self._append_event(event, expected_version)

    def _append_event(self, event: NewDomainEvent, expected: int | None) -> IOResult[Any, Any]:
        version = sum(1 for e in self.t.events if e.aggregate_id == event.aggregate_id)
        if expected is not None and expected != version:
            return IOFailure(VersionConflict(event.aggregate_type, event.aggregate_id, expected,
                                             version))  # fmt: skip
        stored = StoredDomainEvent(uuid4(), event.event_type, event.aggregate_type,
                                   event.aggregate_id, version + 1, event.payload,
                                   event.correlation_id, "pending", 0, event.occurred_at,
                                   None, None, None, NOW, NOW, None, None)  # fmt: skip
        return self._check("domain_events.append").map(lambda _: self._store_event(stored))

    def _store_event(self, stored: StoredDomainEvent) -> StoredDomainEvent:
        self.t.events.append(stored)
        return stored


class _Users:
    def __init__(self, repos: FakeRepositories) -> None:
        self.r = repos

    def add(self, new: NewUser) -> IOResult[User, Any]:
        if any(u.email == new.email for u in self.r.t.users.values()):
            return IOFailure(Conflict("users", "uq_users_email", new.email))
        user = User(uuid4(), new.organization_id, new.email, new.display_name, new.role, NOW, NOW)
        self.r.t.users[user.id] = user
        return IOSuccess(user)

    def get(self, user_id: UUID) -> IOResult[User, Any]:
        found = self.r.t.users.get(user_id)
        return IOSuccess(found) if found else IOFailure(NotFound("users", str(user_id)))

    def find_by_email(self, email: str) -> IOResult[User | None, Any]:
        return IOSuccess(next((u for u in self.r.t.users.values() if u.email == email), None))


class _Invitations:
    def __init__(self, repos: FakeRepositories) -> None:
        self.r = repos

    def add(self, new: NewInvitation) -> IOResult[Invitation, Any]:
        invitation = Invitation(uuid4(), new.organization_id, new.email, new.role, "pending",
                                new.token_hash, new.invited_by, new.expires_at, None, None,
                                NOW, NOW)  # fmt: skip
        self.r.t.invitations[invitation.id] = invitation
        return IOSuccess(invitation)

    def get(self, invitation_id: UUID) -> IOResult[Invitation, Any]:
        found = self.r.t.invitations.get(invitation_id)
        return IOSuccess(found) if found else IOFailure(NotFound("invitations", str(invitation_id)))

    def get_by_token_hash(self, token_hash: str) -> IOResult[Invitation, Any]:
        found = [i for i in self.r.t.invitations.values() if i.token_hash == token_hash]
        return IOSuccess(found[0]) if found else IOFailure(NotFound("invitations", "token"))

    def mark_accepted(self, invitation_id: UUID, at: datetime) -> IOResult[Invitation, Any]:
        return self._close(invitation_id, status="accepted", accepted_at=at)

    def mark_revoked(self, invitation_id: UUID, at: datetime) -> IOResult[Invitation, Any]:
        return self._close(invitation_id, status="revoked", revoked_at=at)

    def _close(self, invitation_id: UUID, **changes: Any) -> IOResult[Invitation, Any]:
        closed = replace(self.r.t.invitations[invitation_id], **changes)
        self.r.t.invitations[invitation_id] = closed
        return IOSuccess(closed)


class _IdempotencyKeys:
    """One transaction at a time here, so a claim never has anything to wait for."""

    def __init__(self, repos: FakeRepositories) -> None:
        self.r = repos

    def claim(self, key: str) -> IOResult[IdempotencyRecord | None, Any]:
        return IOSuccess(self.r.t.idempotency_keys.get(key))

    def store(self, record: NewIdempotencyRecord) -> IOResult[IdempotencyRecord, Any]:
        if record.key in self.r.t.idempotency_keys:
            return IOFailure(Conflict("idempotency_keys", "uq_idempotency_keys_key", record.key))
        stored = IdempotencyRecord(uuid4(), record.key, record.command, record.fingerprint,
                                   record.result, record.created_at)  # fmt: skip
        self.r.t.idempotency_keys[record.key] = stored
        return self.r._check("idempotency_keys.store").map(lambda _: stored)


class _ProcessedEvents:
    def __init__(self, repos: FakeRepositories) -> None:
        self.r = repos

    def record(self, consumer: str, event_id: UUID) -> IOResult[bool, Any]:
        new = (consumer, event_id) not in self.r.t.processed_events
        self.r.t.processed_events.add((consumer, event_id))
        return IOSuccess(new)


class _OrganizationTrials:
    def __init__(self, repos: FakeRepositories) -> None:
        self.r = repos

    def start(self, trial: NewOrganizationTrial) -> IOResult[OrganizationTrial, Any]:
        if trial.organization_id in self.r.t.trials:
            return IOFailure(Conflict("organization_trials", "pk_organization_trials",
                                      str(trial.organization_id)))  # fmt: skip
        stored = OrganizationTrial(trial.organization_id, trial.started_at, trial.ends_at, NOW)
        self.r.t.trials[trial.organization_id] = stored
        return self.r._check("organization_trials.start").map(lambda _: stored)


class FakeUnitOfWork:
    """Keeps the writes of a successful run; restores the tables after a failure or exception."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.tables = Tables()
        self.fail_on = fail_on
        self.runs = 0

    def run(self, work: Callable[[Any], IOResult[Any, Any]]) -> IOResult[Any, Any]:
        self.runs += 1
        snapshot = copy.deepcopy(self.tables)
        try:
            result = work(FakeRepositories(self.tables, self.fail_on))
        except BaseException:
            self.tables = snapshot
            raise
        if not is_successful(result):
            self.tables = snapshot
        return result
