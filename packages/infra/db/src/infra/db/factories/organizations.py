"""Factory of `organizations` rows."""

from __future__ import annotations

import factory

from infra.db.factories._base import RowFactory, example_email, timestamp, uuid
from infra.db.row_schemas.organizations import OrganizationsRowSchema
from infra.db.schema import organizations


class OrganizationsFactory(RowFactory[OrganizationsRowSchema]):
    class Meta:
        model = OrganizationsRowSchema

    _table = organizations

    id = uuid()
    name = factory.Faker("company")
    billing_email = example_email("billing")
    is_subscribed = False
    subscription_status = "trialing"
    created_at = timestamp()
    updated_at = factory.SelfAttribute("created_at")
