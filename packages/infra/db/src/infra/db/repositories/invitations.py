"""Invitations: insert, load, close (accept or revoke), and prune the closed ones."""

from __future__ import annotations

from datetime import datetime
from typing import Final
from uuid import UUID

from returns.io import IOResult
from sqlalchemy import Connection, Select, delete, func, insert, select, update

from core.domains.invitations.entities import Invitation, NewInvitation
from core.domains.invitations.ports import InvitationRepository
from core.errors import NotFound, PersistenceError
from infra.db.repositories._statements import affected_rows, fetch_integer, fetch_one
from infra.db.row_schemas.invitations import InvitationsRowSchema
from infra.db.schema import invitations


def add_invitation(
    connection: Connection, invitation: NewInvitation
) -> IOResult[Invitation, PersistenceError]:
    statement = (
        insert(invitations)
        .values(
            organization_id=invitation.organization_id,
            email=invitation.email,
            role=invitation.role,
            token_hash=invitation.token_hash,
            invited_by=invitation.invited_by,
            expires_at=invitation.expires_at,
        )
        .returning(*invitations.c)
    )
    missing = NotFound("invitations", invitation.email)
    return fetch_one(connection, statement, InvitationsRowSchema, missing).map(to_invitation)


def get_invitation(
    connection: Connection, invitation_id: UUID
) -> IOResult[Invitation, PersistenceError]:
    statement = select(invitations).where(invitations.c.id == invitation_id)
    missing = NotFound("invitations", str(invitation_id))
    return fetch_one(connection, statement, InvitationsRowSchema, missing).map(to_invitation)


def get_invitation_by_token_hash(
    connection: Connection, token_hash: str
) -> IOResult[Invitation, PersistenceError]:
    statement = select(invitations).where(invitations.c.token_hash == token_hash)
    # The hash identifies a secret: never echo it into an error.
    missing = NotFound("invitations", "token")
    return fetch_one(connection, statement, InvitationsRowSchema, missing).map(to_invitation)


def mark_invitation_accepted(
    connection: Connection, invitation_id: UUID, accepted_at: datetime
) -> IOResult[Invitation, PersistenceError]:
    """Close as accepted; the guard trigger refuses it (RuleViolated) unless pending."""
    return _close_invitation(connection, invitation_id, status="accepted", accepted_at=accepted_at)


def mark_invitation_revoked(
    connection: Connection, invitation_id: UUID, revoked_at: datetime
) -> IOResult[Invitation, PersistenceError]:
    """Close as revoked; the guard trigger refuses it (RuleViolated) unless pending."""
    return _close_invitation(connection, invitation_id, status="revoked", revoked_at=revoked_at)


def _close_invitation(
    connection: Connection, invitation_id: UUID, **closing: object
) -> IOResult[Invitation, PersistenceError]:
    statement = (
        update(invitations)
        .where(invitations.c.id == invitation_id)
        .values(**closing)
        .returning(*invitations.c)
    )
    missing = NotFound("invitations", str(invitation_id))
    return fetch_one(connection, statement, InvitationsRowSchema, missing).map(to_invitation)


def prune_terminal(
    connection: Connection, older_than: datetime, batch_size: int
) -> IOResult[int, PersistenceError]:
    """Delete up to `batch_size` accepted/revoked/expired invitations created before the cutoff.

    SKIP LOCKED lets two prunes run at once: each takes rows the other has not
    locked, so neither waits on the other nor counts the same row.
    """
    batch = (
        _terminal_older_than(older_than)
        .order_by(invitations.c.created_at)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )
    statement = delete(invitations).where(invitations.c.id.in_(batch))
    return affected_rows(connection, statement, InvitationsRowSchema)


def count_terminal_to_prune(
    connection: Connection, older_than: datetime
) -> IOResult[int, PersistenceError]:
    """How many invitations `prune_terminal` would delete with this cutoff."""
    statement = select(func.count()).select_from(_terminal_older_than(older_than).subquery())
    return fetch_integer(connection, statement, InvitationsRowSchema)


def _terminal_older_than(older_than: datetime) -> Select[tuple[UUID]]:
    # `<> 'pending'` (not an IN list of the final states) matches the partial
    # index ix_invitations_terminal_created_at, so the planner can use it.
    return select(invitations.c.id).where(
        invitations.c.status != "pending", invitations.c.created_at < older_than
    )


def to_invitation(row: InvitationsRowSchema) -> Invitation:
    return Invitation(
        id=row.id,
        organization_id=row.organization_id,
        email=row.email,
        role=row.role,
        status=row.status,
        token_hash=row.token_hash,
        invited_by=row.invited_by,
        expires_at=row.expires_at,
        accepted_at=row.accepted_at,
        revoked_at=row.revoked_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlInvitationRepository:
    """InvitationRepository bound to one connection (and so to its transaction)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, invitation: NewInvitation) -> IOResult[Invitation, PersistenceError]:
        return add_invitation(self._connection, invitation)

    def get(self, invitation_id: UUID) -> IOResult[Invitation, PersistenceError]:
        return get_invitation(self._connection, invitation_id)

    def get_by_token_hash(self, token_hash: str) -> IOResult[Invitation, PersistenceError]:
        return get_invitation_by_token_hash(self._connection, token_hash)

    def mark_accepted(
        self, invitation_id: UUID, accepted_at: datetime
    ) -> IOResult[Invitation, PersistenceError]:
        return mark_invitation_accepted(self._connection, invitation_id, accepted_at)

    def mark_revoked(
        self, invitation_id: UUID, revoked_at: datetime
    ) -> IOResult[Invitation, PersistenceError]:
        return mark_invitation_revoked(self._connection, invitation_id, revoked_at)


_SATISFIES_PORT: Final[type[InvitationRepository]] = SqlInvitationRepository
