"""Rows on both sides of every retention cutoff, made with the factories (demo and tests).

For each prunable table, `per_side` rows are expired (older than the cutoff by
`margin`) and `per_side` are not (newer by `margin`); rows that must never be
pruned whatever their age (pending invitations, pending and processing domain
events) are added to the rows to keep.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import Connection, Table

from infra.db.factories import (
    AuthAuditEventsFactory,
    DomainEventsFactory,
    InvitationsFactory,
    OrganizationsFactory,
)
from infra.db.schema import auth_audit_events, domain_events, invitations

PRUNABLE_TABLES: Mapping[str, Table] = {
    "audit_events": auth_audit_events,
    "invitations": invitations,
    "domain_events": domain_events,
}
CLOSED_INVITATION_STATUSES = ("accepted", "revoked", "expired")
COMPLETED_EVENT_STATUSES = ("published", "failed")
# Far older than any cutoff: only their status keeps these rows.
ANCIENT = timedelta(days=3_650)


@dataclass(frozen=True)
class SeededRows:
    """Ids by logical table name: what a run must delete, and what must survive it."""

    expired: dict[str, set[UUID]] = field(default_factory=dict)
    kept: dict[str, set[UUID]] = field(default_factory=dict)

    def all_ids(self, name: str) -> set[UUID]:
        return self.expired[name] | self.kept[name]


def seed_retention_sample(
    connection: Connection,
    reference_time: datetime,
    retention_days: Mapping[str, int],
    *,
    per_side: int = 1,
    margin: timedelta = timedelta(seconds=1),
) -> SeededRows:
    """Seed around each cutoff `reference_time - retention_days[name]`."""
    seeded = SeededRows()
    for name, days in retention_days.items():
        cutoff = reference_time - timedelta(days=days)
        seeded.expired[name] = set()
        seeded.kept[name] = set()
        for index in range(per_side):
            older, newer = cutoff - margin, cutoff + margin
            seeded.expired[name].add(SEEDERS[name](connection, older, index))
            seeded.kept[name].add(SEEDERS[name](connection, newer, index))
        seeded.kept[name] |= NEVER_PRUNED[name](connection, cutoff - ANCIENT)
    return seeded


def _audit_event(connection: Connection, created_at: datetime, index: int) -> UUID:
    return AuthAuditEventsFactory.create(connection=connection, created_at=created_at).id


def _closed_invitation(connection: Connection, created_at: datetime, index: int) -> UUID:
    status = CLOSED_INVITATION_STATUSES[index % len(CLOSED_INVITATION_STATUSES)]
    row = InvitationsFactory.create(connection=connection, status=status, created_at=created_at)
    return row.id


def _completed_event(connection: Connection, completed_at: datetime, index: int) -> UUID:
    # Completed events age from their completion: created long before it on purpose.
    status = COMPLETED_EVENT_STATUSES[index % len(COMPLETED_EVENT_STATUSES)]
    completion = {"published_at" if status == "published" else "failed_at": completed_at}
    row = DomainEventsFactory.create(
        connection=connection, status=status, occurred_at=completed_at - ANCIENT, **completion
    )
    return row.id


def _pending_invitation(connection: Connection, created_at: datetime) -> set[UUID]:
    organization = OrganizationsFactory.create(connection=connection)
    row = InvitationsFactory.create(
        connection=connection, organization_id=organization.id, created_at=created_at
    )
    return {row.id}


def _undelivered_events(connection: Connection, occurred_at: datetime) -> set[UUID]:
    return {
        DomainEventsFactory.create(connection=connection, status=status, occurred_at=occurred_at).id
        for status in ("pending", "processing")
    }


def _no_exempt_rows(connection: Connection, at: datetime) -> set[UUID]:
    return set()


SEEDERS = {
    "audit_events": _audit_event,
    "invitations": _closed_invitation,
    "domain_events": _completed_event,
}
NEVER_PRUNED = {
    "audit_events": _no_exempt_rows,
    "invitations": _pending_invitation,
    "domain_events": _undelivered_events,
}
