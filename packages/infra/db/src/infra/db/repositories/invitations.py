"""Invitations: insert, load, and close (accept or revoke)."""

from __future__ import annotations

from datetime import datetime
from typing import final
from uuid import UUID

from returns.io import IOResult
from sqlalchemy import select

from core.domains.invitations.entities import Invitation, NewInvitation
from core.domains.invitations.ports import InvitationRepository
from core.errors import NotFound, PersistenceError
from infra.db.repositories._entities import EntityMapper, column_values
from infra.db.repositories._statements import (
    ConnectionBound,
    fetch_by_id,
    fetch_one,
    insert_returning,
    update_by_id,
)
from infra.db.row_schemas.invitations import InvitationsRowSchema
from infra.db.schema import invitations

to_invitation = EntityMapper(InvitationsRowSchema, Invitation)


@final
class SqlInvitationRepository(ConnectionBound, InvitationRepository):
    """InvitationRepository on PostgreSQL."""

    def add(self, invitation: NewInvitation) -> IOResult[Invitation, PersistenceError]:
        return insert_returning(
            self._connection,
            invitations,
            InvitationsRowSchema,
            column_values(invitation),
            NotFound("invitations", invitation.email),
        ).map(to_invitation)

    def get(self, invitation_id: UUID) -> IOResult[Invitation, PersistenceError]:
        return fetch_by_id(self._connection, invitations, InvitationsRowSchema, invitation_id).map(
            to_invitation
        )

    def get_by_token_hash(self, token_hash: str) -> IOResult[Invitation, PersistenceError]:
        statement = select(invitations).where(invitations.c.token_hash == token_hash)
        # The hash identifies a secret: never echo it into an error.
        missing = NotFound("invitations", "token")
        return fetch_one(self._connection, statement, InvitationsRowSchema, missing).map(
            to_invitation
        )

    def mark_accepted(
        self, invitation_id: UUID, accepted_at: datetime
    ) -> IOResult[Invitation, PersistenceError]:
        """Close as accepted; the guard trigger refuses it (RuleViolated) unless pending."""
        return self._close(invitation_id, status="accepted", accepted_at=accepted_at)

    def mark_revoked(
        self, invitation_id: UUID, revoked_at: datetime
    ) -> IOResult[Invitation, PersistenceError]:
        """Close as revoked; the guard trigger refuses it (RuleViolated) unless pending."""
        return self._close(invitation_id, status="revoked", revoked_at=revoked_at)

    def _close(
        self, invitation_id: UUID, **closing: object
    ) -> IOResult[Invitation, PersistenceError]:
        return update_by_id(
            self._connection, invitations, InvitationsRowSchema, invitation_id, closing
        ).map(to_invitation)
