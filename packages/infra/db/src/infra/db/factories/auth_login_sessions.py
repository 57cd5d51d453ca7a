"""Factory of `auth_login_sessions` rows; `create` makes the user unless given `user_id`."""

from __future__ import annotations

from datetime import timedelta

import factory

from infra.db.factories._base import ParentId, RowFactory, ipv4, later, timestamp, uuid
from infra.db.factories.users import UsersFactory
from infra.db.row_schemas.auth_login_sessions import AuthLoginSessionsRowSchema
from infra.db.schema import auth_login_sessions


class AuthLoginSessionsFactory(RowFactory[AuthLoginSessionsRowSchema]):
    class Meta:
        model = AuthLoginSessionsRowSchema

    _table = auth_login_sessions

    id = uuid()
    user_id = ParentId(UsersFactory)
    created_at = timestamp()
    expires_at = later("created_at", timedelta(days=14))
    revoked_at = None
    ip = ipv4()
    user_agent = factory.Faker("user_agent")
