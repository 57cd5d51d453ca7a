"""`--column NAME:TYPE[:nullable]`: what a column spec says, and everything derived from it.

Types: text, integer, bigint, boolean, timestamptz, uuid, jsonb, `enum(a,b,c)`
(a PostgreSQL enum type of its own) and `fk(table)` (a uuid referencing the
table's `id`: ON DELETE CASCADE, or SET NULL when the column is nullable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final, Literal

from pydantic import BaseModel

from app.scaffold.defaults import ServerDefault, server_default
from app.scaffold.errors import ScaffoldRefusedError
from app.scaffold.names import check_identifier, check_label, check_length, pascal_case

Kind = Literal["text", "integer", "bigint", "boolean", "timestamptz", "uuid", "jsonb", "enum", "fk"]
PLAIN_KINDS: Final[tuple[Kind, ...]] = (
    "text", "integer", "bigint", "boolean", "timestamptz", "uuid", "jsonb",
)  # fmt: skip
ENUM: Final = re.compile(r"enum\((?P<labels>[^()]*)\)")
FOREIGN_KEY: Final = re.compile(r"fk\((?P<table>[^()]*)\)")
SPEC_HELP: Final = (
    "NAME:TYPE[:nullable], TYPE one of " + ", ".join(PLAIN_KINDS) + ", enum(a,b,c), fk(table)"
)

# Every table gets these; a column spec may not name them again.
STANDARD_COLUMNS: Final = ("id", "created_at")
# Names the generated modules bind themselves: a column named so would shadow them
# inside the factory's class body or the entity's __init__.
GENERATOR_NAMES: Final = frozenset({"factory", "uuid", "timestamp", "datetime", "self", "cls"})

SQL_TYPES: Final[dict[Kind, str]] = {
    "text": "text",
    "integer": "integer",
    "bigint": "bigint",
    "boolean": "boolean",
    "timestamptz": "timestamp with time zone",
    "uuid": "uuid",
    "jsonb": "jsonb",
    "fk": "uuid",
}
SCHEMA_TYPES: Final[dict[Kind, str]] = {
    "text": "Text",
    "integer": "Integer",
    "bigint": "BigInteger",
    "boolean": "Boolean",
    "timestamptz": "DateTime(timezone=True)",
    "uuid": "UUID(as_uuid=True)",
    # SQL NULL for None: a nullable column stores NULL, never the JSON value null.
    "jsonb": "JSONB(none_as_null=True)",
    "fk": "UUID(as_uuid=True)",
}
MIGRATION_TYPES: Final[dict[Kind, str]] = {
    "text": "sa.Text()",
    "integer": "sa.Integer()",
    "bigint": "sa.BigInteger()",
    "boolean": "sa.Boolean()",
    "timestamptz": "sa.DateTime(timezone=True)",
    "uuid": "postgresql.UUID(as_uuid=True)",
    "jsonb": "postgresql.JSONB(none_as_null=True)",
    "fk": "postgresql.UUID(as_uuid=True)",
}
ENTITY_TYPES: Final[dict[Kind, str]] = {
    "text": "str",
    "integer": "int",
    "bigint": "int",
    "boolean": "bool",
    "timestamptz": "datetime",
    "uuid": "UUID",
    # core.json.JsonObject spelled out: a type hint of it resolves its inner forward
    # reference to JsonValue in the entity's module, which must therefore import that name.
    "jsonb": "dict[str, JsonValue]",
    "fk": "UUID",
}
ROW_TYPES: Final[dict[Kind, str]] = {
    **ENTITY_TYPES,
    "timestamptz": "AwareDatetime",
    "jsonb": "JsonObject",
}
FACTORY_VALUES: Final[dict[Kind, str]] = {
    "text": 'factory.Faker("pystr", max_chars=20)',
    "integer": 'factory.Faker("pyint")',
    "bigint": 'factory.Faker("pyint")',
    "boolean": 'factory.Faker("pybool")',
    "timestamptz": "timestamp()",
    "uuid": "uuid()",
    "jsonb": 'factory.Dict({"note": factory.Faker("word")})',
}


@dataclass(frozen=True)
class ColumnSpec:
    """One column the developer asked for, validated, with what each generated file writes."""

    table: str
    entity: str
    name: str
    kind: Kind
    nullable: bool
    labels: tuple[str, ...] = ()
    parent: str | None = None
    default: ServerDefault | None = None

    @property
    def schema_default(self) -> str:
        """`, server_default=…` for schema.py, or nothing."""
        return f", server_default={self.default.schema}" if self.default else ""

    @property
    def migration_default(self) -> str:
        """`, server_default=…` for the revision, or nothing."""
        return f", server_default={self.default.migration}" if self.default else ""

    @property
    def enum_type(self) -> str:
        """The PostgreSQL enum type: `<entity>_<column>`, like `invitation_status`."""
        return f"{self.entity}_{self.name}"

    @property
    def enum_constant(self) -> str:
        return f"{self.enum_type.upper()}_VALUES"

    @property
    def enum_alias(self) -> str:
        """The core `Literal` alias of the labels: `WidgetStatus`."""
        return pascal_case(self.enum_type)

    @property
    def sql_type(self) -> str:
        """The type as pgTAP's col_type_is spells it."""
        return self.enum_type if self.kind == "enum" else SQL_TYPES[self.kind]

    @property
    def schema_type(self) -> str:
        return self.enum_type if self.kind == "enum" else SCHEMA_TYPES[self.kind]

    @property
    def migration_type(self) -> str:
        return self.enum_type if self.kind == "enum" else MIGRATION_TYPES[self.kind]

    @property
    def entity_type(self) -> str:
        plain = self.enum_alias if self.kind == "enum" else ENTITY_TYPES[self.kind]
        return f"{plain} | None" if self.nullable else plain

    @property
    def row_type(self) -> str:
        plain = self.enum_alias if self.kind == "enum" else ROW_TYPES[self.kind]
        return f"{plain} | None" if self.nullable else plain

    @property
    def factory_value(self) -> str:
        if self.kind == "enum":
            return f'factory.Faker("random_element", elements={self.labels!r})'
        if self.kind == "fk":
            return f"ParentId({self.parent_factory})"
        return FACTORY_VALUES[self.kind]

    @property
    def parent_factory(self) -> str:
        return f"{pascal_case(self.parent or '')}Factory"

    @property
    def ondelete(self) -> str:
        return "SET NULL" if self.nullable else "CASCADE"

    @property
    def foreign_key_name(self) -> str:
        return f"fk_{self.table}_{self.name}_{self.parent}"

    @property
    def index_name(self) -> str:
        return f"ix_{self.table}_{self.name}"

    @property
    def derived_identifiers(self) -> tuple[tuple[str, str], ...]:
        """(what, identifier) of every database name this column brings."""
        if self.kind == "enum":
            return (("enum type", self.enum_type),)
        if self.kind == "fk":
            return (("foreign key", self.foreign_key_name), ("index", self.index_name))
        return ()


def parse_columns(table: str, entity: str, specs: list[str]) -> tuple[ColumnSpec, ...]:
    """Every spec parsed and validated, names unique.

    Raises:
        ScaffoldRefusedError: the first spec that is malformed, with the expected form.
    """
    if not specs:
        raise ScaffoldRefusedError(f"a table needs at least one --column ({SPEC_HELP})")
    columns = tuple(parse_column(table, entity, spec) for spec in specs)
    seen: set[str] = set()
    for column in columns:
        if column.name in seen:
            raise ScaffoldRefusedError(f"column {column.name!r} is given twice")
        seen.add(column.name)
    return columns


def parse_column(table: str, entity: str, spec: str) -> ColumnSpec:
    """One `NAME:TYPE[:nullable][:default=VALUE]` spec.

    Raises:
        ScaffoldRefusedError: naming the spec and what is wrong with it.
    """
    parts = spec.strip().split(":")
    if len(parts) < 2:
        raise ScaffoldRefusedError(f"column spec {spec!r} is not {SPEC_HELP}")
    name = check_identifier(parts[0], "column name")
    if name in STANDARD_COLUMNS:
        raise ScaffoldRefusedError(f"column {name!r} is generated for every table: leave it out")
    if name in GENERATOR_NAMES or name.startswith("model_") or hasattr(BaseModel, name):
        raise ScaffoldRefusedError(
            f"column name {name!r} would shadow a name the generated row schema, "
            "factory or entity uses: choose another"
        )
    nullable, default = _options(spec, parts[2:])
    column = _typed(table, entity, name, parts[1].strip(), nullable, spec)
    if default is not None:
        column = replace(column, default=server_default(column.kind, default, column.labels, name))
    for what, identifier in column.derived_identifiers:
        check_length(identifier, f"the {what} of column {name!r}")
    return column


def _options(spec: str, options: list[str]) -> tuple[bool, str | None]:
    """`nullable` and `default=VALUE`, each at most once, in any order."""
    nullable = False
    default: str | None = None
    for option in options:
        if option == "nullable" and not nullable:
            nullable = True
        elif option.startswith("default=") and default is None:
            default = option.removeprefix("default=")
        else:
            raise ScaffoldRefusedError(
                f"column spec {spec!r}: after the type come only 'nullable' and "
                f"'default=VALUE', once each, not {option!r}"
            )
    return nullable, default


def _typed(  # noqa: PLR0917 - the parts of one spec, in the order it spells them
    table: str, entity: str, name: str, written: str, nullable: bool, spec: str
) -> ColumnSpec:
    plain = next((kind for kind in PLAIN_KINDS if kind == written), None)
    if plain is not None:
        return ColumnSpec(table, entity, name, plain, nullable)
    enum = ENUM.fullmatch(written)
    if enum is not None:
        labels = tuple(label.strip() for label in enum["labels"].split(","))
        for label in labels:
            check_label(label, f"enum label of column {name!r}")
        if len(set(labels)) != len(labels):
            raise ScaffoldRefusedError(f"column {name!r}: an enum label is given twice")
        return ColumnSpec(table, entity, name, "enum", nullable, labels=labels)
    foreign_key = FOREIGN_KEY.fullmatch(written)
    if foreign_key is not None:
        parent = check_identifier(foreign_key["table"].strip(), f"table referenced by {name!r}")
        return ColumnSpec(table, entity, name, "fk", nullable, parent=parent)
    raise ScaffoldRefusedError(f"column spec {spec!r}: unknown type {written!r} ({SPEC_HELP})")
