"""The unit of work port: one transaction, and the repositories that write inside it.

A use case passes its work to `UnitOfWork.run`; everything the work writes
(the business rows, their domain events, audit rows) commits when the work
returns a success and rolls back when it returns a failure or raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from returns.io import IOResult

from core.domains.auth.ports import AuditLog, LoginSessionRepository
from core.domains.domain_events.ports import DomainEventStore
from core.domains.idempotency.ports import IdempotencyKeys
from core.domains.invitations.ports import InvitationRepository
from core.domains.organizations.ports import OrganizationRepository, OrganizationTrialRepository
from core.domains.processed_events.ports import ProcessedEvents
from core.domains.system_settings.ports import SystemSettingsRepository
from core.domains.users.ports import UserRepository
from core.errors import PersistenceError

_T = TypeVar("_T")
_E = TypeVar("_E")


class Repositories(Protocol):
    """The repositories of one transaction."""

    @property
    def organizations(self) -> OrganizationRepository:
        """Organizations, in this transaction."""
        ...

    @property
    def organization_trials(self) -> OrganizationTrialRepository:
        """The trials organizations start with, in this transaction."""
        ...

    @property
    def users(self) -> UserRepository:
        """Users, in this transaction."""
        ...

    @property
    def invitations(self) -> InvitationRepository:
        """Invitations, in this transaction."""
        ...

    @property
    def login_sessions(self) -> LoginSessionRepository:
        """Login sessions, in this transaction."""
        ...

    @property
    def audit_log(self) -> AuditLog:
        """The authentication audit trail, in this transaction."""
        ...

    @property
    def domain_events(self) -> DomainEventStore:
        """The domain event streams, in this transaction."""
        ...

    @property
    def system_settings(self) -> SystemSettingsRepository:
        """System settings, in this transaction."""
        ...

    @property
    def idempotency_keys(self) -> IdempotencyKeys:
        """The idempotency keys of commands, in this transaction."""
        ...

    @property
    def processed_events(self) -> ProcessedEvents:
        """The events each consumer has processed, in this transaction."""
        ...


class UnitOfWork(Protocol):
    """Runs work in one transaction: commit on success, roll back on failure or exception."""

    def run(
        self, work: Callable[[Repositories], IOResult[_T, _E]]
    ) -> IOResult[_T, _E | PersistenceError]:
        """Run `work`; a failed commit or connection becomes a PersistenceError."""
        ...
