"""Move values between core entities and rows whose columns the entities copy one for one.

Most stored entities are their row, column for column, and most new entities are
the columns an insert sets. Writing those copies out field by field repeated each
table's columns once more per repository; these helpers copy by field name instead.
What mypy checked in the written-out copies, a test checks for every mapper
(`tests/unit/infra_db/test_entity_mappers.py`), and a mapper whose entity and row
disagree on a name refuses to be built at import.
EntityDecoder goes further for reads: it validates rows straight into entities,
JSON columns included (nested dataclasses, or a class another column names).
"""

from __future__ import annotations

import gc
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, final

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import ArgsKwargs, CoreConfig, CoreSchema, SchemaValidator, core_schema
from sqlalchemy import Column, ColumnElement, Enum, Table, Text, type_coerce

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


class UndecodableRowsError(ValueError):
    """Rows that do not fit their entity; the repositories return it as InvalidRow."""

    def __init__(self, table: str, detail: str) -> None:
        super().__init__(f"{table}: {detail}")
        self.table = table
        self.detail = detail


@dataclass(frozen=True)
class TaggedJson:
    """A JSON column whose class another column of the same row names.

    Domain event payloads: `payload` is an `OrganizationCreated` when `event_type`
    is `organization.created`. JSON carries UUIDs and times as strings, so the
    payload is validated as JSON is (lax), unlike the columns around it.
    """

    field: str
    tag: str
    classes: Mapping[str, type]


@final
class EntityDecoder(Generic[EntityT]):
    """Decode many rows of `table` straight into `entity` instances, in one validation pass.

    The hot multi-row reads use this instead of a row schema followed by a copy:
    pydantic checks each value and builds the entity in the same pass, so decoding
    10,000 rows costs a fraction of fetching them (the `decode 10k rows` benchmark).
    Values are checked as strictly as the row schemas check them (exact types, no
    unknown JSON keys); only the entity itself is built from the row's mapping.
    """

    def __init__(
        self, table: Table, entity: type[EntityT], tagged: TaggedJson | None = None
    ) -> None:
        self.table = table.name
        self.entity = entity
        self.names = tuple(f.name for f in fields(entity))
        self._table = table
        self._tag_position = (
            None
            if tagged is None
            else (self.names.index(tagged.field), self.names.index(tagged.tag))
        )
        unmatched = sorted(set(self.names) ^ set(table.c.keys()))
        if unmatched:
            raise TypeError(
                f"{entity.__name__} is not a copy of {table.name}: "
                f"{', '.join(unmatched)} stand(s) on one side only"
            )
        rows_of_entity = _adapter(entity, _STRICT_FIELDS)
        schema = cast("dict[str, Any]", _dataclasses_from_mappings(rows_of_entity.core_schema))
        if tagged is not None:
            _replace_field(schema["items_schema"], tagged.field, _tagged_schema(tagged))
        self._validator = SchemaValidator(cast("CoreSchema", schema), _STRICT_VALUES)

    @property
    def columns(self) -> tuple[ColumnElement[Any], ...]:
        """The table's columns in the entity's field order: select these for the fast path.

        Enum columns come back as the driver's plain strings: SQLAlchemy's per-row enum
        lookup would check each value a second time, and the entity's Literal checks it.
        """
        return tuple(_without_enum_lookup(self._table.c[name]) for name in self.names)

    def decode_rows(
        self, keys: Sequence[str], rows: Iterable[Sequence[object]]
    ) -> tuple[EntityT, ...]:
        """The entities of `rows` (value sequences named by `keys`), in order.

        Raises:
            ValidationError: naming the row (by index) and the field that does not fit.
        """
        order = self._order(tuple(keys))
        tag = self._tag_position
        arguments = []
        for row in rows:
            values = tuple(row) if order is None else tuple(row[i] for i in order)
            if tag is not None:
                field, named_by = tag
                values = (
                    *values[:field],
                    (values[named_by], values[field]),
                    *values[field + 1 :],
                )
            arguments.append(ArgsKwargs(values))
        try:
            with cyclic_gc_paused():
                decoded: list[EntityT] = self._validator.validate_python(arguments)
        except ValidationError as error:
            raise UndecodableRowsError(self.table, self._describe(error)) from error
        return tuple(decoded)

    def _describe(self, error: ValidationError) -> str:
        return describe_invalid_rows(error, self.names)

    def _order(self, keys: tuple[str, ...]) -> tuple[int, ...] | None:
        # Positional arguments in field order are the cheapest input pydantic takes; a
        # statement selecting `columns` needs no reordering at all.
        if keys == self.names:
            return None
        missing = sorted(set(self.names) - set(keys))
        if missing:
            raise ValueError(f"the statement does not select {', '.join(missing)} of {self.table}")
        return tuple(keys.index(name) for name in self.names)


def describe_invalid_rows(error: ValidationError, field_names: Sequence[str] = ()) -> str:
    """The first refusals as `row 3 metadata.reason: <why>`.

    A list validation puts the row's index first; positional rows (`field_names`
    given) then locate the value by position, which is named back as its field.
    """

    def where(loc: tuple[int | str, ...]) -> str:
        if not loc or not isinstance(loc[0], int):
            return ".".join(map(str, loc))
        row, *inside = loc
        if field_names and inside and isinstance(inside[0], int):
            inside[0] = field_names[inside[0]]
        return f"row {row} " + ".".join(map(str, inside))

    return "; ".join(f"{where(item['loc'])}: {item['msg']}" for item in error.errors()[:3])


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk decode builds its objects.

    Building 10,000 entities triggers collections that walk the whole heap and find
    nothing: fetched and decoded rows hold no reference cycles. Without them decoding
    costs a third as much. Reference counting still frees everything as usual, a
    collector someone else disabled stays disabled, and pauses may nest.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _without_enum_lookup(column: Column[Any]) -> ColumnElement[Any]:
    if isinstance(column.type, Enum):
        return type_coerce(column, Text).label(column.name)
    return column


def _adapter(item: type[Any], config: ConfigDict) -> TypeAdapter[list[Any]]:
    # A list adapter: pydantic refuses a config for a dataclass itself, but takes one for a list.
    return TypeAdapter(list[item], config=config)  # type: ignore[valid-type]  # a runtime class


def _tagged_schema(tagged: TaggedJson) -> CoreSchema:
    """Validates a `(tag, value)` pair as the class the tag names; an unknown tag is an error."""
    choices: dict[Hashable, CoreSchema] = {
        tag: core_schema.no_info_before_validator_function(
            _value_of_pair,
            cast(
                "CoreSchema",
                _dataclasses_from_mappings(_adapter(cls, _JSON_VALUES).core_schema["items_schema"]),
            ),
        )
        for tag, cls in tagged.classes.items()
    }
    return core_schema.tagged_union_schema(choices, discriminator=_tag_of_pair)


def _tag_of_pair(pair: Any) -> Hashable:
    tag: Hashable = pair[0]
    return tag


def _value_of_pair(pair: Any) -> Any:
    return pair[1]


def _replace_field(dataclass_schema: dict[str, Any], name: str, schema: CoreSchema) -> None:
    (field_schema,) = (f for f in dataclass_schema["schema"]["fields"] if f["name"] == name)
    field_schema["schema"] = schema


# Strict: a row from psycopg already has each column's Python type, so a coercion
# would mean the table and the entity disagree (the row schemas' reasoning, too).
# The adapter's config marks each field's schema strict; the validator's is the default.
_STRICT_FIELDS = ConfigDict(strict=True)
_JSON_VALUES = ConfigDict(strict=False)
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
