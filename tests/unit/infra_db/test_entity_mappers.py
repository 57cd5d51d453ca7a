"""Entities copied from rows by field name match their row schemas field for field.

The repositories build these entities with `EntityMapper` and insert new ones with
`column_values`, so mypy no longer sees each field copied; these tests compare the
names and the types instead.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from ipaddress import IPv4Address, IPv6Address
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from pydantic import AwareDatetime, BaseModel, IPvAnyAddress

from core.domains.auth.entities import AuditMetadata, NewAuditEvent, NewLoginSession
from core.domains.idempotency.entities import NewIdempotencyRecord
from core.domains.invitations.entities import NewInvitation
from core.domains.organizations.entities import NewOrganization
from core.domains.organizations.trials import NewOrganizationTrial
from core.domains.users.entities import NewUser
from core.json import JsonObject, JsonValue
from infra.db import factories, json_schema, repositories
from infra.db.repositories._entities import EntityMapper, column_values
from infra.db.row_schemas import (
    AuthAuditEventsRowSchema,
    AuthLoginSessionsRowSchema,
    IdempotencyKeysRowSchema,
    InvitationsRowSchema,
    OrganizationsRowSchema,
    OrganizationTrialsRowSchema,
    UsersRowSchema,
)


@dataclass(frozen=True)
class _CoreJson:
    value: JsonValue
    object: JsonObject


# Pydantic's validating types, and the plain type each one hands over; the JSON alias
# pydantic can validate stands for core's alias of the same union (read as an annotation,
# as the entities' own fields are).
VALIDATED_AS = {
    AwareDatetime: datetime,
    IPvAnyAddress: IPv4Address | IPv6Address,
    json_schema.JsonValue: get_type_hints(_CoreJson)["value"],
    json_schema.JsonObject: get_type_hints(_CoreJson)["object"],
}

# The new entities each repository inserts through `column_values`, with the fields it
# replaces by a transformed value before inserting.
INSERTED: tuple[tuple[type[Any], type[BaseModel], frozenset[str]], ...] = (
    (NewOrganization, OrganizationsRowSchema, frozenset()),
    (NewUser, UsersRowSchema, frozenset()),
    (NewInvitation, InvitationsRowSchema, frozenset()),
    (NewLoginSession, AuthLoginSessionsRowSchema, frozenset()),
    (NewAuditEvent, AuthAuditEventsRowSchema, frozenset({"metadata"})),
    (NewIdempotencyRecord, IdempotencyKeysRowSchema, frozenset()),
    (NewOrganizationTrial, OrganizationTrialsRowSchema, frozenset()),
)


def _mappers() -> list[EntityMapper[Any, Any]]:
    found: list[EntityMapper[Any, Any]] = []
    for info in pkgutil.iter_modules(repositories.__path__, f"{repositories.__name__}."):
        module = importlib.import_module(info.name)
        found += [value for value in vars(module).values() if isinstance(value, EntityMapper)]
    return found


def _plain(hint: Any) -> Any:
    if get_origin(hint) in (Union, UnionType):
        return Union[tuple(_plain(arg) for arg in get_args(hint))]  # noqa: UP007  # built from a tuple
    return VALIDATED_AS.get(hint, hint)


def _plain_hints(kind: type[Any]) -> dict[str, Any]:
    return {name: _plain(hint) for name, hint in get_type_hints(kind).items()}


MAPPERS = _mappers()


def test_the_repositories_map_the_plain_entities_through_entity_mappers() -> None:
    assert {mapper.entity.__name__ for mapper in MAPPERS} >= {
        "Organization",
        "User",
        "Invitation",
        "LoginSession",
        "SystemSetting",
    }


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda mapper: mapper.entity.__name__)
def test_each_mapped_entity_has_its_row_schemas_fields_in_order_with_the_same_types(
    mapper: EntityMapper[Any, Any],
) -> None:
    assert _plain_hints(mapper.entity) == _plain_hints(mapper.schema)
    assert [field.name for field in fields(mapper.entity)] == list(mapper.schema.model_fields)


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda mapper: mapper.entity.__name__)
def test_a_mapper_copies_every_column_of_a_factory_row(mapper: EntityMapper[Any, Any]) -> None:
    factory = getattr(factories, f"{mapper.schema.__name__.removesuffix('RowSchema')}Factory")
    row = factory.build()

    entity = mapper(row)

    assert {f.name: getattr(entity, f.name) for f in fields(entity)} == dict(row)


@pytest.mark.parametrize(
    ("new_entity", "schema", "transformed"),
    INSERTED,
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_each_inserted_entitys_fields_are_columns_of_the_same_types(
    new_entity: type[Any], schema: type[BaseModel], transformed: frozenset[str]
) -> None:
    columns = _plain_hints(schema)
    copied = {
        name: hint for name, hint in _plain_hints(new_entity).items() if name not in transformed
    }

    assert copied == {name: columns[name] for name in copied if name in columns}
    assert transformed <= columns.keys()


def test_a_mapper_between_an_entity_and_a_row_that_differ_is_refused_with_the_names() -> None:
    @dataclass(frozen=True)
    class Renamed:
        id: object
        organization_id: object
        email: object
        name: object
        role: object
        created_at: object
        updated_at: object

    with pytest.raises(TypeError, match="display_name, name"):
        EntityMapper(UsersRowSchema, Renamed)


def test_column_values_are_an_entitys_fields_by_name_with_nested_values_left_whole() -> None:
    metadata = AuditMetadata(user_agent="curl")
    event = NewAuditEvent(None, None, "login_failed", None, metadata, datetime.now(UTC))

    values = column_values(event)

    assert list(values) == [f.name for f in fields(NewAuditEvent)]
    assert values["metadata"] is metadata
