"""What `strata scaffold` accepts as a table, column, enum label and column spec."""

from __future__ import annotations

import pytest
from pglast import keywords

from app.scaffold.columns import parse_column, parse_columns
from app.scaffold.errors import ScaffoldRefusedError
from app.scaffold.names import SQL_RESERVED_WORDS, check_identifier, singular


def test_the_reserved_words_are_exactly_postgresqls_reserved_key_words() -> None:
    assert keywords.RESERVED_KEYWORDS | keywords.TYPE_FUNC_NAME_KEYWORDS == SQL_RESERVED_WORDS


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Widgets", "lowercase snake_case"),
        ("2widgets", "lowercase snake_case"),
        ("widget-parts", "lowercase snake_case"),
        ("widget__parts", "lowercase snake_case"),
        ("_widgets", "lowercase snake_case"),
        ("", "lowercase snake_case"),
        ("user", "reserved word"),
        ("order", "reserved word"),
        ("lambda", "Python keyword"),
        ("w" * 64, "longer than PostgreSQL's 63 bytes"),
    ],
)
def test_a_name_that_cannot_be_a_plain_identifier_is_refused_saying_why(
    name: str, reason: str
) -> None:
    with pytest.raises(ScaffoldRefusedError, match=reason):
        check_identifier(name, "table name")


def test_a_63_byte_snake_case_name_is_accepted() -> None:
    assert check_identifier("w" * 63, "table name") == "w" * 63


@pytest.mark.parametrize(
    ("plural", "one"),
    [("widgets", "widget"), ("categories", "category"), ("boxes", "box"),
     ("line_items", "line_item"), ("addresses", "address"),
     ("equipment", "equipment")],
)  # fmt: skip
def test_the_entity_of_a_table_is_named_for_one_of_its_rows(plural: str, one: str) -> None:
    assert singular(plural) == one


def test_a_full_column_spec_gives_its_name_type_and_nullability() -> None:
    column = parse_column("widgets", "widget", "status:enum(draft,live):nullable")

    assert (column.name, column.kind, column.nullable, column.labels) == (
        "status",
        "enum",
        True,
        ("draft", "live"),
    )
    assert (column.enum_type, column.enum_alias, column.row_type) == (
        "widget_status",
        "WidgetStatus",
        "WidgetStatus | None",
    )


def test_a_foreign_key_cascades_unless_nullable_where_it_empties_the_column() -> None:
    required = parse_column("widgets", "widget", "organization_id:fk(organizations)")
    optional = parse_column("widgets", "widget", "owner_id:fk(users):nullable")

    assert (required.ondelete, required.foreign_key_name, required.index_name) == (
        "CASCADE",
        "fk_widgets_organization_id_organizations",
        "ix_widgets_organization_id",
    )
    assert optional.ondelete == "SET NULL"


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("name", "is not NAME:TYPE"),
        ("name:varchar", "unknown type 'varchar'"),
        ("name:text:optional", "only 'nullable' and 'default=VALUE'"),
        ("name:text:nullable:nullable", "once each"),
        ("name:text:default=a:default=b", "once each"),
        ("name:text:default=it's", "is not letters, digits"),
        ("quantity:integer:default=many", "is not an integer"),
        ("active:boolean:default=yes", "is not true or false"),
        ("settings:jsonb:default=[]", "is not {}"),
        ("seen_at:timestamptz:default=today", "is not now"),
        ("status:enum(draft,live):default=gone", "is not one of its labels"),
        ("owner_id:fk(users):default=random", "takes no default"),
        ("Name:text", "lowercase snake_case"),
        ("select:text", "reserved word"),
        ("id:uuid", "generated for every table"),
        ("created_at:timestamptz", "generated for every table"),
        ("factory:text", "would shadow"),
        ("model_version:text", "would shadow"),
        ("status:enum(Draft,live)", "enum label"),
        ("status:enum(draft,draft)", "given twice"),
        ("status:enum()", "enum label"),
        ("parent_id:fk(Parents)", "lowercase snake_case"),
        (f"{'c' * 40}:fk({'p' * 30})", "foreign key"),
    ],
)
def test_a_malformed_column_spec_is_refused_saying_why(spec: str, reason: str) -> None:
    with pytest.raises(ScaffoldRefusedError, match=reason):
        parse_column("widgets", "widget", spec)


@pytest.mark.parametrize(
    ("spec", "in_schema", "in_revision"),
    [
        ("status:enum(draft,live):default=live", '"live"', '"live"'),
        ("name:text:nullable:default=no name", '"no name"', '"no name"'),
        ("quantity:bigint:default=-007", 'text("-7")', 'sa.text("-7")'),
        ("active:boolean:default=false", 'text("false")', 'sa.text("false")'),
        ("settings:jsonb:default={}", "text(\"'{}'::jsonb\")", "sa.text(\"'{}'::jsonb\")"),
        ("seen_at:timestamptz:default=now", "func.now()", "sa.func.now()"),
        ("ref:uuid:default=random", "func.gen_random_uuid()", "sa.func.gen_random_uuid()"),
    ],
)
def test_a_default_is_spelled_alike_in_schema_py_and_the_revision(
    spec: str, in_schema: str, in_revision: str
) -> None:
    column = parse_column("widgets", "widget", spec)

    assert column.default is not None
    assert (column.default.schema, column.default.migration) == (in_schema, in_revision)


def test_a_table_needs_a_column_and_each_column_once() -> None:
    with pytest.raises(ScaffoldRefusedError, match="at least one --column"):
        parse_columns("widgets", "widget", [])
    with pytest.raises(ScaffoldRefusedError, match="given twice"):
        parse_columns("widgets", "widget", ["name:text", "name:integer"])
