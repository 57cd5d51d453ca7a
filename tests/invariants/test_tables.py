"""DB001-DB004 on fixture trees: each change breaks exactly one rule, at a known line."""

from __future__ import annotations

import pytest

from tests.invariants.conftest import (
    INFRA,
    ORG_FACTORY,
    ROWS_INIT,
    SCHEMA,
    Scenario,
    Tree,
    delete,
    replace,
    scenario,
    write,
)

EVENTS_SCHEMA = f"{INFRA}/events_schema.py"
AUDIT_SCHEMA = f"{INFRA}/audit_schema.py"
ORG_ROWS = f"{INFRA}/row_schemas/organizations.py"
EVENT_ROWS = f"{INFRA}/row_schemas/domain_events.py"
ORG_SETTINGS = "    settings: OrganizationSettings | None\n    created_at: AwareDatetime"


def test_the_clean_fixture_tree_has_no_findings(tree: Tree) -> None:
    assert tree.findings() == []


@pytest.mark.parametrize(
    "scenario",
    [
        # --- DB001 ---
        scenario(
            "an aliased table import is DB001",
            write(AUDIT_SCHEMA, "from sqlalchemy import Table as SaTable\n"),
            findings=[("DB001", AUDIT_SCHEMA, 1)],
        ),
        scenario(
            "a table built inside a function is DB001",
            write(
                AUDIT_SCHEMA,
                "from sqlalchemy import Column, Table, Text\n"
                "from infra.db.schema import metadata\n\n\n"
                "def make_table(name: str) -> Table:\n"
                '    return Table(name, metadata, Column("id", Text, primary_key=True))\n',
            ),
            findings=[("DB001", AUDIT_SCHEMA, 6)],
        ),
        scenario(
            "a table bound to another name is DB001",
            replace(SCHEMA, "organizations = Table(", "organization_table = Table("),
            findings=[("DB001", SCHEMA, "organization_table =")],
        ),
        scenario(
            "rebinding Table is DB001",
            replace(SCHEMA, "metadata = MetaData()", "metadata = MetaData()\nMyTable = Table"),
            findings=[("DB001", SCHEMA, "MyTable = Table")],
        ),
        scenario(
            "a table on its own metadata is DB001",
            replace(EVENTS_SCHEMA, "    metadata,\n", "    MetaData(),\n"),
            replace(EVENTS_SCHEMA, "from sqlalchemy import", "from sqlalchemy import MetaData,"),
            findings=[("DB001", EVENTS_SCHEMA, "= Table(")],
        ),
        scenario(
            "a split table module with its own metadata is DB001",
            replace(EVENTS_SCHEMA, "from infra.db.schema import metadata", "metadata = MetaData()"),
            replace(EVENTS_SCHEMA, "from sqlalchemy import", "from sqlalchemy import MetaData,"),
            findings=[("DB001", EVENTS_SCHEMA, "= Table(")],
        ),
        # --- DB002 ---
        scenario(
            "a table without a row schema module is DB002",
            delete(EVENT_ROWS),
            findings=[("DB002", EVENTS_SCHEMA, "= Table(")],
        ),
        scenario(
            "a row schema module without its row schema class is DB002",
            replace(
                ORG_ROWS, "class OrganizationsRowSchema(BaseModel):", "class _Rows(BaseModel):"
            ),
            findings=[("DB002", ORG_ROWS, 1)],
        ),
        scenario(
            "a row schema that is not re-exported is DB002",
            replace(
                ROWS_INIT,
                "from infra.db.row_schemas.organizations import OrganizationsRowSchema\n",
                "",
            ),
            replace(ROWS_INIT, '    "OrganizationsRowSchema",\n', ""),
            findings=[("DB002", ORG_ROWS, "class OrganizationsRowSchema")],
        ),
        scenario(
            "a typed dict beside the row schema is not required nor flagged",
            replace(
                ORG_ROWS,
                "class OrganizationsRowSchema(",
                "class OrganizationsRowShape(TypedDict):\n    id: UUID\n\n\n"
                "class OrganizationsRowSchema(",
            ),
            replace(
                ORG_ROWS, "from typing import Literal", "from typing import Literal, TypedDict"
            ),
        ),
        scenario(
            "an orphan row schema is DB002",
            write(
                f"{INFRA}/row_schemas/widgets.py",
                "from pydantic import BaseModel\n\n\nclass WidgetsRowSchema(BaseModel):\n"
                "    id: int\n",
            ),
            findings=[("DB002", f"{INFRA}/row_schemas/widgets.py", 4)],
        ),
        # --- DB003 ---
        scenario(
            "a naive datetime for a timestamptz column is DB003",
            replace(
                ORG_ROWS, "from typing import", "from datetime import datetime\nfrom typing import"
            ),
            replace(ORG_ROWS, "    created_at: AwareDatetime\n", "    created_at: datetime\n"),
            findings=[("DB003", ORG_ROWS, "created_at: datetime")],
        ),
        scenario(
            "a non-nullable field for a nullable column is DB003",
            replace(ORG_ROWS, ORG_SETTINGS, ORG_SETTINGS.replace(" | None", "")),
            findings=[("DB003", ORG_ROWS, "settings: Organiz")],
        ),
        scenario(
            "a nullable field for a not-null column is DB003",
            replace(
                ORG_ROWS,
                "    model_config = ConfigDict(frozen=True)\n\n    id: UUID\n    name: str\n",
                "    model_config = ConfigDict(frozen=True)\n\n"
                "    id: UUID\n    name: str | None\n",
            ),
            findings=[("DB003", ORG_ROWS, "name: str | None")],
        ),
        scenario(
            "enum members that differ are DB003",
            replace(ORG_ROWS, 'Literal["active", "suspended"]', 'Literal["active", "deleted"]'),
            findings=[("DB003", ORG_ROWS, "    status:")],
        ),
        scenario(
            "a JSON column typed Any is DB003",
            replace(ORG_ROWS, "from typing import Literal", "from typing import Any, Literal"),
            replace(
                ORG_ROWS,
                "    settings: OrganizationSettings | None\n    created_at: Aware",
                "    settings: dict[str, Any] | None\n    created_at: Aware",
            ),
            findings=[("DB003", ORG_ROWS, "dict[str, Any]")],
        ),
        scenario(
            "a field without a column is DB003",
            replace(
                ORG_ROWS,
                "    updated_at: AwareDatetime\n",
                "    updated_at: AwareDatetime\n    nickname: str\n",
            ),
            findings=[("DB003", ORG_ROWS, "nickname")],
        ),
        scenario(
            "a column without a field is DB003 at the class",
            replace(
                ORG_ROWS,
                "    created_at: AwareDatetime\n    updated_at: AwareDatetime\n",
                "    created_at: AwareDatetime\n",
            ),
            findings=[("DB003", ORG_ROWS, "class OrganizationsRowSchema")],
        ),
        scenario(
            "a wrong scalar type is DB003",
            replace(
                EVENT_ROWS,
                "    sequence_number: int\n    payload: JsonObject\n    occurred_at: Aware",
                "    sequence_number: str\n    payload: JsonObject\n    occurred_at: Aware",
            ),
            findings=[("DB003", EVENT_ROWS, "sequence_number: str")],
        ),
        # --- DB004 ---
        scenario(
            "a factory whose model is another row schema is DB004",
            replace(ORG_FACTORY, "model = OrganizationsRowSchema", "model = DomainEventsRowSchema"),
            findings=[("DB004", ORG_FACTORY, "model =")],
        ),
        scenario(
            "a table without a factory is DB004",
            delete(f"{INFRA}/factories/domain_events.py"),
            findings=[("DB004", EVENTS_SCHEMA, "= Table(")],
        ),
        scenario(
            "a factory that is not re-exported is DB004",
            write(
                f"{INFRA}/factories/__init__.py",
                "from infra.db.factories.domain_events import DomainEventsFactory\n",
            ),
            findings=[("DB004", ORG_FACTORY, "class OrganizationsFactory")],
        ),
        scenario(
            "a helper factory for a JSON value is legal",
            replace(
                ORG_FACTORY,
                "class OrganizationsFactory",
                "class SettingsFactory(factory.Factory):\n"
                "    class Meta:\n        model = dict\n\n\n"
                "class OrganizationsFactory",
            ),
        ),
    ],
)
def test_a_table_rule_reports_each_change_at_its_line(tree: Tree, scenario: Scenario) -> None:
    scenario.check(tree)


def test_a_table_defined_outside_infra_db_is_db001(tree: Tree) -> None:
    tree.write(
        "packages/app/src/app/reports.py",
        "from sqlalchemy import Column, MetaData, Table, Text\n\n"
        "report_metadata = MetaData()\n"
        'reports = Table("reports", report_metadata, Column("id", Text, primary_key=True))\n',
    )
    tree.assert_only_code_among("DB001", "packages/app/src/app/reports.py", 4)


def test_a_misnamed_row_schema_class_is_db002_at_that_class(tree: Tree) -> None:
    tree.edit(ORG_ROWS, "class OrganizationsRowSchema(", "class OrganizationRowSchema(")
    tree.assert_only_code_among("DB002", ORG_ROWS, "class OrganizationRowSchema")


def test_a_json_type_declared_as_any_in_json_schema_is_db003(tree: Tree) -> None:
    tree.edit(
        f"{INFRA}/json_schema.py",
        "OrganizationSettings = JsonObject",
        "from typing import Any\n\nOrganizationSettings = dict[str, Any]",
    )
    tree.assert_only_code_among("DB003", ORG_ROWS, "settings: Organiz")
