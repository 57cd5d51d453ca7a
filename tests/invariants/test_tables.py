"""DB001-DB004 on fixture trees: each edit breaks exactly one rule, at a known line."""

from __future__ import annotations

from tests.invariants.conftest import INFRA, Tree

SCHEMA = f"{INFRA}/schema.py"
EVENTS_SCHEMA = f"{INFRA}/events_schema.py"
ORG_ROWS = f"{INFRA}/row_schemas/organizations.py"
ROWS_INIT = f"{INFRA}/row_schemas/__init__.py"
ORG_FACTORY = f"{INFRA}/factories/organizations.py"


def test_the_clean_fixture_tree_has_no_findings(tree: Tree) -> None:
    assert tree.findings() == []


# --- DB001 ---------------------------------------------------------------------------------


def test_an_aliased_table_import_is_db001(tree: Tree) -> None:
    tree.write(f"{INFRA}/audit_schema.py", "from sqlalchemy import Table as SaTable\n")
    assert tree.findings() == [("DB001", f"{INFRA}/audit_schema.py", 1)]


def test_a_table_built_inside_a_function_is_db001(tree: Tree) -> None:
    tree.write(
        f"{INFRA}/audit_schema.py",
        "from sqlalchemy import Column, Table, Text\n"
        "from infra.db.schema import metadata\n\n\n"
        "def make_table(name: str) -> Table:\n"
        '    return Table(name, metadata, Column("id", Text, primary_key=True))\n',
    )
    assert tree.findings() == [("DB001", f"{INFRA}/audit_schema.py", 6)]


def test_a_table_bound_to_another_name_is_db001(tree: Tree) -> None:
    tree.edit(SCHEMA, "organizations = Table(", "organization_table = Table(")
    assert tree.findings() == [("DB001", SCHEMA, tree.line_of(SCHEMA, "organization_table ="))]


def test_rebinding_table_is_db001(tree: Tree) -> None:
    tree.edit(SCHEMA, "metadata = MetaData()", "metadata = MetaData()\nMyTable = Table")
    assert tree.findings() == [("DB001", SCHEMA, tree.line_of(SCHEMA, "MyTable = Table"))]


def test_a_table_on_its_own_metadata_is_db001(tree: Tree) -> None:
    tree.edit(EVENTS_SCHEMA, "    metadata,\n", "    MetaData(),\n")
    tree.edit(EVENTS_SCHEMA, "from sqlalchemy import", "from sqlalchemy import MetaData,")
    assert tree.findings() == [("DB001", EVENTS_SCHEMA, tree.line_of(EVENTS_SCHEMA, "= Table("))]


def test_a_table_defined_outside_infra_db_is_db001(tree: Tree) -> None:
    tree.write(
        "packages/app/src/app/reports.py",
        "from sqlalchemy import Column, MetaData, Table, Text\n\n"
        "report_metadata = MetaData()\n"
        'reports = Table("reports", report_metadata, Column("id", Text, primary_key=True))\n',
    )
    assert ("DB001", "packages/app/src/app/reports.py", 4) in tree.findings()
    assert {code for code, _, _ in tree.findings()} == {"DB001"}


# --- DB002 ---------------------------------------------------------------------------------


def test_a_table_without_a_row_schema_module_is_db002(tree: Tree) -> None:
    tree.delete(f"{INFRA}/row_schemas/domain_events.py")
    line = tree.line_of(EVENTS_SCHEMA, "= Table(")
    assert tree.findings() == [("DB002", EVENTS_SCHEMA, line)]


def test_a_row_schema_module_without_its_row_schema_class_is_db002(tree: Tree) -> None:
    tree.edit(ORG_ROWS, "class OrganizationsRowSchema(BaseModel):", "class _Rows(BaseModel):")
    assert tree.findings() == [("DB002", ORG_ROWS, 1)]


def test_a_misnamed_row_schema_class_is_db002_at_that_class(tree: Tree) -> None:
    tree.edit(ORG_ROWS, "class OrganizationsRowSchema(", "class OrganizationRowSchema(")
    line = tree.line_of(ORG_ROWS, "class OrganizationRowSchema")
    assert ("DB002", ORG_ROWS, line) in tree.findings()
    assert {code for code, _, _ in tree.findings()} == {"DB002"}


def test_a_row_schema_that_is_not_re_exported_is_db002(tree: Tree) -> None:
    tree.edit(
        ROWS_INIT, "from infra.db.row_schemas.organizations import OrganizationsRowSchema\n", ""
    )
    tree.edit(ROWS_INIT, '    "OrganizationsRowSchema",\n', "")
    line = tree.line_of(ORG_ROWS, "class OrganizationsRowSchema")
    assert tree.findings() == [("DB002", ORG_ROWS, line)]


def test_a_typed_dict_beside_the_row_schema_is_not_required_nor_flagged(tree: Tree) -> None:
    tree.edit(
        ORG_ROWS,
        "class OrganizationsRowSchema(",
        "class OrganizationsRowShape(TypedDict):\n    id: UUID\n\n\nclass OrganizationsRowSchema(",
    )
    tree.edit(ORG_ROWS, "from typing import Literal", "from typing import Literal, TypedDict")
    assert tree.findings() == []


def test_an_orphan_row_schema_is_db002(tree: Tree) -> None:
    tree.write(
        f"{INFRA}/row_schemas/widgets.py",
        "from pydantic import BaseModel\n\n\nclass WidgetsRowSchema(BaseModel):\n    id: int\n",
    )
    assert tree.findings() == [("DB002", f"{INFRA}/row_schemas/widgets.py", 4)]


# --- DB003 ---------------------------------------------------------------------------------


def test_a_naive_datetime_for_a_timestamptz_column_is_db003(tree: Tree) -> None:
    tree.edit(ORG_ROWS, "from typing import", "from datetime import datetime\nfrom typing import")
    tree.edit(ORG_ROWS, "    created_at: AwareDatetime\n", "    created_at: datetime\n")
    line = tree.line_of(ORG_ROWS, "created_at: datetime")
    assert tree.findings() == [("DB003", ORG_ROWS, line)]


def test_a_non_nullable_field_for_a_nullable_column_is_db003(tree: Tree) -> None:
    schema_part = "    settings: OrganizationSettings | None\n    created_at: AwareDatetime"
    tree.edit(ORG_ROWS, schema_part, schema_part.replace(" | None", ""))
    line = tree.line_of(ORG_ROWS, "settings: Organiz")
    assert tree.findings() == [("DB003", ORG_ROWS, line)]


def test_a_nullable_field_for_a_not_null_column_is_db003(tree: Tree) -> None:
    tree.edit(
        ORG_ROWS,
        "    model_config = ConfigDict(frozen=True)\n\n    id: UUID\n    name: str\n",
        "    model_config = ConfigDict(frozen=True)\n\n    id: UUID\n    name: str | None\n",
    )
    assert tree.findings() == [("DB003", ORG_ROWS, tree.line_of(ORG_ROWS, "name: str | None"))]


def test_enum_members_that_differ_are_db003(tree: Tree) -> None:
    tree.edit(ORG_ROWS, 'Literal["active", "suspended"]', 'Literal["active", "deleted"]')
    assert tree.findings() == [("DB003", ORG_ROWS, tree.line_of(ORG_ROWS, "    status:"))]


def test_a_json_column_typed_any_is_db003(tree: Tree) -> None:
    tree.edit(ORG_ROWS, "from typing import Literal", "from typing import Any, Literal")
    tree.edit(
        ORG_ROWS,
        "    settings: OrganizationSettings | None\n    created_at: Aware",
        "    settings: dict[str, Any] | None\n    created_at: Aware",
    )
    assert tree.findings() == [("DB003", ORG_ROWS, tree.line_of(ORG_ROWS, "dict[str, Any]"))]


def test_a_json_type_declared_as_any_in_json_schema_is_db003(tree: Tree) -> None:
    tree.edit(
        f"{INFRA}/json_schema.py",
        "OrganizationSettings = JsonObject",
        "from typing import Any\n\nOrganizationSettings = dict[str, Any]",
    )
    findings = tree.findings()
    assert {code for code, _, _ in findings} == {"DB003"}
    assert ("DB003", ORG_ROWS, tree.line_of(ORG_ROWS, "settings: Organiz")) in findings


def test_a_field_without_a_column_is_db003(tree: Tree) -> None:
    tree.edit(
        ORG_ROWS,
        "    updated_at: AwareDatetime\n",
        "    updated_at: AwareDatetime\n    nickname: str\n",
    )
    assert tree.findings() == [("DB003", ORG_ROWS, tree.line_of(ORG_ROWS, "nickname"))]


def test_a_column_without_a_field_is_db003_at_the_class(tree: Tree) -> None:
    tree.edit(
        ORG_ROWS,
        "    created_at: AwareDatetime\n    updated_at: AwareDatetime\n",
        "    created_at: AwareDatetime\n",
    )
    line = tree.line_of(ORG_ROWS, "class OrganizationsRowSchema")
    assert tree.findings() == [("DB003", ORG_ROWS, line)]


def test_a_wrong_scalar_type_is_db003(tree: Tree) -> None:
    tree.edit(
        f"{INFRA}/row_schemas/domain_events.py",
        "    sequence_number: int\n    payload: JsonObject\n    occurred_at: Aware",
        "    sequence_number: str\n    payload: JsonObject\n    occurred_at: Aware",
    )
    path = f"{INFRA}/row_schemas/domain_events.py"
    assert tree.findings() == [("DB003", path, tree.line_of(path, "sequence_number: str"))]


# --- DB004 ---------------------------------------------------------------------------------


def test_a_factory_whose_model_is_another_row_schema_is_db004(tree: Tree) -> None:
    tree.edit(ORG_FACTORY, "model = OrganizationsRowSchema", "model = DomainEventsRowSchema")
    assert tree.findings() == [("DB004", ORG_FACTORY, tree.line_of(ORG_FACTORY, "model ="))]


def test_a_table_without_a_factory_is_db004(tree: Tree) -> None:
    tree.delete(f"{INFRA}/factories/domain_events.py")
    assert tree.findings() == [("DB004", EVENTS_SCHEMA, tree.line_of(EVENTS_SCHEMA, "= Table("))]


def test_a_factory_that_is_not_re_exported_is_db004(tree: Tree) -> None:
    init = f"{INFRA}/factories/__init__.py"
    tree.write(init, "from infra.db.factories.domain_events import DomainEventsFactory\n")
    line = tree.line_of(ORG_FACTORY, "class OrganizationsFactory")
    assert tree.findings() == [("DB004", ORG_FACTORY, line)]


def test_a_helper_factory_for_a_json_value_is_legal(tree: Tree) -> None:
    helper = "class SettingsFactory(factory.Factory):\n    class Meta:\n        model = dict\n\n\n"
    tree.edit(ORG_FACTORY, "class OrganizationsFactory", helper + "class OrganizationsFactory")
    assert tree.findings() == []


def test_a_split_table_module_with_its_own_metadata_is_db001(tree: Tree) -> None:
    tree.edit(EVENTS_SCHEMA, "from infra.db.schema import metadata", "metadata = MetaData()")
    tree.edit(EVENTS_SCHEMA, "from sqlalchemy import", "from sqlalchemy import MetaData,")
    assert tree.findings() == [("DB001", EVENTS_SCHEMA, tree.line_of(EVENTS_SCHEMA, "= Table("))]
