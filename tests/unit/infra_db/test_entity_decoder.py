"""EntityDecoder checks each value as strictly as a row schema does, and builds the entity."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import UTC, datetime
from ipaddress import IPv4Address
from uuid import UUID, uuid4

import pytest

from core.domains.auth.entities import AuditEvent, AuditMetadata
from infra.db.repositories._entities import EntityDecoder, UndecodableRowsError
from infra.db.schema import auth_audit_events

DECODER = EntityDecoder(auth_audit_events, AuditEvent)


def audit_row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": uuid4(),
        "user_id": None,
        "session_id": None,
        "event_type": "logout",
        "ip": IPv4Address("192.0.2.1"),
        "metadata": {"reason": "idle"},
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    return row | changes


def decode(*rows: dict[str, object]) -> tuple[AuditEvent, ...]:
    return DECODER.decode_rows(tuple(rows[0]), [tuple(row.values()) for row in rows])


def test_rows_become_entities_with_their_json_as_the_nested_entity() -> None:
    row = audit_row()

    (event,) = decode(row)

    assert event == AuditEvent(**(row | {"metadata": AuditMetadata(reason="idle")}))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("id", "0b6d0b1e-5c3e-4a51-9a57-31b8f26a4f7c"),  # a str where the driver gives a UUID
        ("ip", "192.0.2.1"),  # a str where the driver gives an address
        ("event_type", "signed_up"),  # not a member of the enum
        ("metadata", {"reason": "idle", "unexpected": True}),  # a JSON key the entity lacks
    ],
)
def test_a_value_a_row_schema_would_refuse_is_refused(column: str, value: object) -> None:
    with pytest.raises(UndecodableRowsError) as refused:
        decode(audit_row(), audit_row(**{column: value}))

    assert refused.value.table == "auth_audit_events"
    assert refused.value.detail.startswith(f"row 1 {column}")


def test_an_entity_that_is_not_a_copy_of_its_table_is_refused_when_built() -> None:
    @dataclass(frozen=True)
    class Partial:
        id: UUID

    with pytest.raises(TypeError, match="Partial is not a copy of auth_audit_events"):
        EntityDecoder(auth_audit_events, Partial)


def test_columns_in_another_order_decode_to_the_same_entity() -> None:
    row = audit_row()
    reordered = dict(reversed(row.items()))

    assert decode(reordered) == decode(row)


def test_a_statement_missing_a_column_is_a_programming_error_named_as_such() -> None:
    row = audit_row()
    del row["ip"]

    with pytest.raises(ValueError, match="does not select ip of auth_audit_events"):
        decode(row)


def test_the_fast_path_selects_the_columns_in_the_entitys_order() -> None:
    assert [column.name for column in DECODER.columns] == list(DECODER.names)
    assert DECODER.names[:2] == ("id", "user_id")


def test_decoding_leaves_the_cyclic_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    decode(audit_row())
    assert gc.isenabled()

    gc.disable()
    try:
        decode(audit_row())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_refused_row_still_leaves_the_collector_enabled() -> None:
    with pytest.raises(UndecodableRowsError):
        decode(audit_row(id="not a uuid"))

    assert gc.isenabled()
