"""Factory of `users` rows; `create` makes the organization unless given `organization_id`."""

from __future__ import annotations

import factory

from infra.db.factories._base import ParentId, RowFactory, example_email, timestamp, uuid
from infra.db.factories.organizations import OrganizationsFactory
from infra.db.row_schemas.users import UsersRowSchema
from infra.db.schema import users


class UsersFactory(RowFactory[UsersRowSchema]):
    class Meta:
        model = UsersRowSchema

    _table = users

    id = uuid()
    organization_id = ParentId(OrganizationsFactory)
    email = example_email("user")
    display_name = factory.Faker("name")
    role = "member"
    created_at = timestamp()
    updated_at = factory.SelfAttribute("created_at")
