"""Factory of `idempotency_keys` rows."""

from __future__ import annotations

import factory

from infra.db.factories._base import RowFactory, timestamp, uuid
from infra.db.row_schemas.idempotency_keys import IdempotencyKeysRowSchema
from infra.db.schema import idempotency_keys


class IdempotencyKeysFactory(RowFactory[IdempotencyKeysRowSchema]):
    class Meta:
        model = IdempotencyKeysRowSchema

    _table = idempotency_keys

    id = uuid()
    key = factory.Faker("uuid4")
    command = "CreateOrganization"
    fingerprint = factory.Faker("sha256")
    result = factory.Dict({"organization_id": factory.Faker("uuid4"), "name": "Acme"})
    created_at = timestamp()
