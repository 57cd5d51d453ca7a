"""Violations an adversarial sweep planted that the checker once missed or placed on the wrong line.

Each case breaks one rule the way a team would, and asserts the code and line reported.
"""

from __future__ import annotations

import pytest

from tests.invariants.conftest import (
    INFRA,
    ORG_FACTORY,
    ORG_REPOSITORY,
    ROWS_INIT,
    SCHEMA,
    Scenario,
    Tree,
    append,
    migration,
    replace,
    scenario,
    write,
)

FACTORIES_INIT = f"{INFRA}/factories/__init__.py"
REVISION_3 = "migrations/versions/0003_more.py"
SNIPPETS = "migrations/sql_snippets.py"


def revision_3(body: str) -> str:
    return migration("More.\n\nRevision ID: 0003\n", "0003", body)


@pytest.mark.parametrize(
    "scenario",
    [
        scenario(
            "a factory named in the singular is DB004 at its class",
            replace(ORG_FACTORY, "class OrganizationsFactory(", "class OrganizationFactory("),
            replace(FACTORIES_INIT, "import OrganizationsFactory", "import OrganizationFactory"),
            replace(FACTORIES_INIT, '"OrganizationsFactory"', '"OrganizationFactory"'),
            findings=[("DB004", ORG_FACTORY, "class OrganizationFactory(")],
        ),
        scenario(
            "a trigger renamed by a later migration is DB005 at the rename",
            write(
                REVISION_3,
                revision_3(
                    "\n\ndef upgrade() -> None:\n    op.execute(\n"
                    '        "ALTER TRIGGER organizations_set_updated_at ON organizations "\n'
                    '        "RENAME TO organizations_touch"\n    )\n'
                ),
            ),
            findings=[("DB005", REVISION_3, "ALTER TRIGGER")],
        ),
        scenario(
            "trigger SQL imported from a shared migration module is DB005",
            write(
                SNIPPETS,
                'TOUCH = """\nCREATE TRIGGER organizations_touch BEFORE UPDATE ON organizations\n'
                '    FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n"""\n',
            ),
            write(
                REVISION_3,
                revision_3(
                    "from migrations.sql_snippets import TOUCH\n\n\n"
                    "def upgrade() -> None:\n    op.execute(TOUCH)\n"
                ),
            ),
            findings=[("DB005", SNIPPETS, 2)],
        ),
        scenario(
            "an unwrap on its own line of a chain is RP003 there",
            append(
                ORG_REPOSITORY,
                "\n\ndef must_get(connection: Connection, organization_id: UUID) -> object:\n"
                "    return (\n        get_organization(connection, organization_id)\n"
                "        .unwrap()\n    )\n",
            ),
            findings=[("RP003", ORG_REPOSITORY, ".unwrap()")],
        ),
        scenario(
            "an insert through a local domain_events table is DE001",
            append(
                ORG_REPOSITORY,
                "\n\ndef record(connection: Connection, payload: dict[str, object]) -> None:\n"
                "    from infra.db.schema import metadata\n\n"
                '    table = metadata.tables["domain_events"]\n'
                "    connection.execute(insert(table).values(payload=payload))\n",
            ),
            findings=[("DE001", ORG_REPOSITORY, "insert(table)")],
        ),
        scenario(
            "a bulk insert into a lightweight domain_events table is DE001",
            write(
                REVISION_3,
                revision_3(
                    "import sqlalchemy as sa\n\n\ndef upgrade() -> None:\n"
                    '    events = sa.table("domain_events", sa.column("event_type", sa.Text))\n'
                    '    op.bulk_insert(events, [{"event_type": "system.seeded"}])\n'
                ),
            ),
            findings=[("DE001", REVISION_3, "op.bulk_insert")],
        ),
        scenario(
            "SQL built by a helper function is SQ001",
            append(
                ORG_REPOSITORY,
                "\n\ndef _where(column: str) -> str:\n"
                '    return f"SELECT id FROM organizations WHERE {column} = :value"\n\n\n'
                "def ids_by(connection: Connection, column: str, value: str) "
                "-> IOResult[int, str]:\n"
                '    rows = connection.execute(text(_where(column)), {"value": value})'
                ".scalars().all()\n"
                "    return IOSuccess(len(rows))\n",
            ),
            findings=[("SQ001", ORG_REPOSITORY, "text(_where(column))")],
        ),
        scenario(
            "a star re-export of a row schema module is a re-export",
            replace(
                ROWS_INIT,
                "from infra.db.row_schemas.organizations import OrganizationsRowSchema\n",
                "from infra.db.row_schemas.organizations import *  # noqa: F403\n",
            ),
        ),
    ],
)
def test_a_planted_violation_is_reported_at_its_line(tree: Tree, scenario: Scenario) -> None:
    scenario.check(tree)


def test_a_table_on_a_second_metadata_of_schema_py_is_db001(tree: Tree) -> None:
    tree.append(
        SCHEMA,
        '\narchive_metadata = MetaData()\narchive = Table(\n    "archive",\n'
        '    archive_metadata,\n    Column("id", UUID(as_uuid=True), primary_key=True),\n)\n',
    )
    assert ("DB001", SCHEMA, tree.line_of(SCHEMA, "archive = Table(")) in tree.findings()
