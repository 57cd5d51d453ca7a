"""Factory of `system_settings` rows."""

from __future__ import annotations

import factory

from infra.db.factories._base import RowFactory, timestamp
from infra.db.row_schemas.system_settings import SystemSettingsRowSchema
from infra.db.schema import system_settings


class SystemSettingsFactory(RowFactory[SystemSettingsRowSchema]):
    class Meta:
        model = SystemSettingsRowSchema

    _table = system_settings

    key = factory.Faker("lexify", text="example.??????????", letters="abcdefghijklmnopqrstuvwxyz")
    value = factory.Dict({"enabled": True, "limit": factory.Faker("pyint", max_value=1000)})
    description = factory.Faker("sentence")
    updated_at = timestamp()
