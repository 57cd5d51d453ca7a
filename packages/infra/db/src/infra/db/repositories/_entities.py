"""Move values between core entities and rows whose columns the entities copy one for one.

Most stored entities are their row, column for column, and most new entities are
the columns an insert sets. Writing those copies out field by field repeated each
table's columns once more per repository; these helpers copy by field name instead.
What mypy checked in the written-out copies, a test checks for every mapper
(`tests/unit/infra_db/test_entity_mappers.py`), and a mapper whose entity and row
disagree on a name refuses to be built at import.
Mappings that transform a value (JSON payloads, audit metadata) stay hand-written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Generic, TypeVar, cast, final

from pydantic import BaseModel, ConfigDict, TypeAdapter
from pydantic_core import CoreConfig, CoreSchema, SchemaValidator
from sqlalchemy import Table

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

RowT = TypeVar("RowT", bound=BaseModel)
EntityT = TypeVar("EntityT", bound="DataclassInstance")


@final
@dataclass(frozen=True)
class EntityMapper(Generic[RowT, EntityT]):
    """Build `entity` from a `schema` row; both must have the same field names.

    Raises:
        TypeError: at construction, naming the fields one side has and the other lacks.
    """

    schema: type[RowT]
    entity: type[EntityT]
    names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        names = tuple(f.name for f in fields(self.entity))
        columns = tuple(self.schema.model_fields)
        unmatched = sorted(set(names) ^ set(columns))
        if unmatched:
            raise TypeError(
                f"{self.entity.__name__} is not a copy of {self.schema.__name__}: "
                f"{', '.join(unmatched)} stand(s) on one side only; write its mapper by hand"
            )
        object.__setattr__(self, "names", names)

    def __call__(self, row: RowT) -> EntityT:
        return self.entity(**{name: getattr(row, name) for name in self.names})


def column_values(new_entity: DataclassInstance) -> dict[str, object]:
    """The fields of an entity about to be stored, by name: the columns its insert sets.

    Shallow on purpose (unlike `dataclasses.asdict`): values go to the driver as they are.
    """
    return {f.name: getattr(new_entity, f.name) for f in fields(new_entity)}


@final
class EntityDecoder(Generic[EntityT]):
    """Decode many rows of `table` straight into `entity` instances, in one validation pass.

    The hot multi-row reads use this instead of a row schema followed by a copy:
    pydantic checks each value and builds the entity in the same pass, so decoding
    10,000 rows costs a fraction of fetching them (the `decode 10k rows` benchmark).
    Values are checked as strictly as the row schemas check them (exact types, no
    unknown JSON keys); only the entity itself is built from the row's mapping.
    """

    def __init__(self, table: Table, entity: type[EntityT]) -> None:
        self.table = table.name
        self.entity = entity
        unmatched = sorted({f.name for f in fields(entity)} ^ set(table.c.keys()))
        if unmatched:
            raise TypeError(
                f"{entity.__name__} is not a copy of {table.name}: "
                f"{', '.join(unmatched)} stand(s) on one side only"
            )
        rows_of_entity = TypeAdapter(list[entity], config=_STRICT_FIELDS)  # type: ignore[valid-type]
        schema = cast("CoreSchema", _dataclasses_from_mappings(rows_of_entity.core_schema))
        self._validator = SchemaValidator(schema, _STRICT_VALUES)

    def decode_rows(self, rows: Sequence[Mapping[str, object]]) -> tuple[EntityT, ...]:
        """The entities, in the rows' order; raises ValidationError naming the row and field."""
        decoded: list[EntityT] = self._validator.validate_python(rows)
        return tuple(decoded)


# Strict: a row from psycopg already has each column's Python type, so a coercion
# would mean the table and the entity disagree (the row schemas' reasoning, too).
# The adapter's config marks each field's schema strict; the validator's is the default.
_STRICT_FIELDS = ConfigDict(strict=True)
_STRICT_VALUES = CoreConfig(strict=True, extra_fields_behavior="forbid")


def _dataclasses_from_mappings(schema: object) -> object:
    """`schema` with every dataclass accepting a mapping of its fields, and no other key.

    Strict mode would otherwise demand ready-made instances; a schema's own `strict`
    overrides the validator's config, so only the containers are relaxed.
    """
    if isinstance(schema, list):
        return [_dataclasses_from_mappings(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    relaxed = {key: _dataclasses_from_mappings(value) for key, value in schema.items()}
    if relaxed.get("type") == "dataclass":
        relaxed["strict"] = False
    if relaxed.get("type") == "dataclass-args":
        relaxed["extra_behavior"] = "forbid"  # the config's setting reaches models only
    return relaxed
