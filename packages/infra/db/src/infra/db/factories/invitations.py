"""Factory of `invitations` rows; `create` makes the organization unless given its id.

`status` drives the timestamps: accepted/revoked rows get `accepted_at` /
`revoked_at` a day after creation, as the table's checks require.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import factory

from infra.db.factories._base import ParentId, RowFactory, example_email, later, timestamp, uuid
from infra.db.factories.organizations import OrganizationsFactory
from infra.db.row_schemas.invitations import InvitationsRowSchema
from infra.db.schema import invitations

ONE_DAY = timedelta(days=1)


class InvitationsFactory(RowFactory[InvitationsRowSchema]):
    class Meta:
        model = InvitationsRowSchema

    _table = invitations

    id = uuid()
    organization_id = ParentId(OrganizationsFactory)
    email = example_email("invitee")
    role = "member"
    status = "pending"
    token_hash = factory.LazyAttribute(lambda row: hashlib.sha256(row.id.bytes).hexdigest())
    invited_by = None
    created_at = timestamp()
    expires_at = later("created_at", timedelta(days=7))
    accepted_at = factory.LazyAttribute(
        lambda row: row.created_at + ONE_DAY if row.status == "accepted" else None
    )
    revoked_at = factory.LazyAttribute(
        lambda row: row.created_at + ONE_DAY if row.status == "revoked" else None
    )
    updated_at = factory.SelfAttribute("created_at")
