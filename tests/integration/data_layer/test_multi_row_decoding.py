"""Multi-row reads decode every row in one validation, and still refuse a row that drifts."""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv6Address
from uuid import uuid4

from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, insert

from core.domains.auth.entities import AuditMetadata
from core.errors import InvalidRow
from infra.db.factories import AuthAuditEventsFactory
from infra.db.repositories.auth_audit_events import SqlAuditLog
from infra.db.schema import auth_audit_events


def test_listing_returns_every_row_in_order_with_addresses_as_the_driver_read_them(
    connection: Connection,
) -> None:
    user_id = uuid4()
    addresses = [IPv4Address("192.0.2.7"), IPv6Address("2001:db8::1"), None]
    created = [
        AuthAuditEventsFactory.create(connection=connection, user_id=user_id, ip=address)
        for address in addresses
    ]

    listed = unsafe_perform_io(SqlAuditLog(connection).list_for_user(user_id).unwrap())

    expected = sorted(created, key=lambda row: (row.created_at, row.id))
    assert [event.id for event in listed] == [row.id for row in expected]
    assert [event.ip for event in listed] == [row.ip for row in expected]
    assert [event.metadata for event in listed] == [
        AuditMetadata(**row.metadata.model_dump()) for row in expected
    ]


def test_a_row_the_schema_refuses_fails_the_whole_read_naming_the_table_and_the_field(
    connection: Connection,
) -> None:
    user_id = uuid4()
    AuthAuditEventsFactory.create(connection=connection, user_id=user_id)
    # Written around the repository, as a hand-run script might: a metadata key the schema forbids.
    connection.execute(
        insert(auth_audit_events).values(
            user_id=user_id, event_type="logout", metadata={"unexpected": True}
        )
    )

    listed = SqlAuditLog(connection).list_for_user(user_id)

    assert not is_successful(listed)
    failure = unsafe_perform_io(listed.failure())
    assert isinstance(failure, InvalidRow)
    assert failure.table == "auth_audit_events"
    assert re.search(r"row [01] metadata\.unexpected", failure.detail), failure.detail
