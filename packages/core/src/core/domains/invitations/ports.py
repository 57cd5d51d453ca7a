"""Ports of the invitations domain."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from returns.io import IOResult

from core.domains.invitations.entities import Invitation, NewInvitation
from core.errors import PersistenceError


class InvitationRepository(Protocol):
    """Stores invitations and moves them out of pending."""

    def add(self, invitation: NewInvitation) -> IOResult[Invitation, PersistenceError]:
        """Insert a pending invitation; a second pending one for the address is a Conflict."""
        ...

    def get(self, invitation_id: UUID) -> IOResult[Invitation, PersistenceError]:
        """The invitation with this id, or NotFound."""
        ...

    def get_by_token_hash(self, token_hash: str) -> IOResult[Invitation, PersistenceError]:
        """The invitation whose token hashes to this value, or NotFound."""
        ...

    def mark_accepted(
        self, invitation_id: UUID, accepted_at: datetime
    ) -> IOResult[Invitation, PersistenceError]:
        """Move a pending invitation to accepted; a final state is a RuleViolated."""
        ...

    def mark_revoked(
        self, invitation_id: UUID, revoked_at: datetime
    ) -> IOResult[Invitation, PersistenceError]:
        """Move a pending invitation to revoked; a final state is a RuleViolated."""
        ...
