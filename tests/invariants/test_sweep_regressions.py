"""Violations an adversarial sweep planted that the checker once missed or placed on the wrong line.

Each test breaks one rule the way a team would, and asserts the code and line reported.
"""

from __future__ import annotations

from tests.invariants.conftest import INFRA, Tree

SCHEMA = f"{INFRA}/schema.py"
ORG_FACTORY = f"{INFRA}/factories/organizations.py"
FACTORIES_INIT = f"{INFRA}/factories/__init__.py"
ORG_REPOSITORY = f"{INFRA}/repositories/organizations.py"
REVISION_3 = "migrations/versions/0003_more.py"


def _revision_3(body: str) -> str:
    head = '"""More.\n\nRevision ID: 0003\n"""\n\nfrom alembic import op\n\n'
    return head + 'revision = "0003"\ndown_revision = "0002"\n' + body


def test_a_table_on_a_second_metadata_of_schema_py_is_db001(tree: Tree) -> None:
    tree.write(
        SCHEMA,
        tree.read(SCHEMA) + '\narchive_metadata = MetaData()\narchive = Table(\n    "archive",\n'
        '    archive_metadata,\n    Column("id", UUID(as_uuid=True), primary_key=True),\n)\n',
    )
    assert ("DB001", SCHEMA, tree.line_of(SCHEMA, "archive = Table(")) in tree.findings()


def test_a_factory_named_in_the_singular_is_db004_at_its_class(tree: Tree) -> None:
    tree.edit(ORG_FACTORY, "class OrganizationsFactory(", "class OrganizationFactory(")
    tree.edit(FACTORIES_INIT, "import OrganizationsFactory", "import OrganizationFactory")
    tree.edit(FACTORIES_INIT, '"OrganizationsFactory"', '"OrganizationFactory"')
    assert tree.findings() == [
        ("DB004", ORG_FACTORY, tree.line_of(ORG_FACTORY, "class OrganizationFactory("))
    ]


def test_a_trigger_renamed_by_a_later_migration_is_db005_at_the_rename(tree: Tree) -> None:
    tree.write(
        REVISION_3,
        _revision_3(
            "\n\ndef upgrade() -> None:\n    op.execute(\n"
            '        "ALTER TRIGGER organizations_set_updated_at ON organizations "\n'
            '        "RENAME TO organizations_touch"\n    )\n'
        ),
    )
    line = tree.line_of(REVISION_3, "ALTER TRIGGER")
    assert tree.findings() == [("DB005", REVISION_3, line)]


def test_trigger_sql_imported_from_a_shared_migration_module_is_db005(tree: Tree) -> None:
    tree.write(
        "migrations/sql_snippets.py",
        'TOUCH = """\nCREATE TRIGGER organizations_touch BEFORE UPDATE ON organizations\n'
        '    FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n"""\n',
    )
    tree.write(
        REVISION_3,
        _revision_3(
            "from migrations.sql_snippets import TOUCH\n\n\n"
            "def upgrade() -> None:\n    op.execute(TOUCH)\n"
        ),
    )
    assert tree.findings() == [("DB005", "migrations/sql_snippets.py", 2)]


def test_an_unwrap_on_its_own_line_of_a_chain_is_rp003_there(tree: Tree) -> None:
    tree.write(
        ORG_REPOSITORY,
        tree.read(ORG_REPOSITORY)
        + "\n\ndef must_get(connection: Connection, organization_id: UUID) -> object:\n"
        "    return (\n        get_organization(connection, organization_id)\n"
        "        .unwrap()\n    )\n",
    )
    assert tree.findings() == [("RP003", ORG_REPOSITORY, tree.line_of(ORG_REPOSITORY, ".unwrap()"))]


def test_an_insert_through_a_local_domain_events_table_is_de001(tree: Tree) -> None:
    tree.write(
        ORG_REPOSITORY,
        tree.read(ORG_REPOSITORY)
        + "\n\ndef record(connection: Connection, payload: dict[str, object]) -> None:\n"
        "    from infra.db.schema import metadata\n\n"
        '    table = metadata.tables["domain_events"]\n'
        "    connection.execute(insert(table).values(payload=payload))\n",
    )
    line = tree.line_of(ORG_REPOSITORY, "insert(table)")
    assert tree.findings() == [("DE001", ORG_REPOSITORY, line)]


def test_a_bulk_insert_into_a_lightweight_domain_events_table_is_de001(tree: Tree) -> None:
    tree.write(
        REVISION_3,
        _revision_3(
            "import sqlalchemy as sa\n\n\ndef upgrade() -> None:\n"
            '    events = sa.table("domain_events", sa.column("event_type", sa.Text))\n'
            '    op.bulk_insert(events, [{"event_type": "system.seeded"}])\n'
        ),
    )
    assert tree.findings() == [("DE001", REVISION_3, tree.line_of(REVISION_3, "op.bulk_insert"))]


def test_sql_built_by_a_helper_function_is_sq001(tree: Tree) -> None:
    tree.write(
        ORG_REPOSITORY,
        tree.read(ORG_REPOSITORY) + "\n\ndef _where(column: str) -> str:\n"
        '    return f"SELECT id FROM organizations WHERE {column} = :value"\n\n\n'
        "def ids_by(connection: Connection, column: str, value: str) -> IOResult[int, str]:\n"
        '    rows = connection.execute(text(_where(column)), {"value": value}).scalars().all()\n'
        "    return IOSuccess(len(rows))\n",
    )
    line = tree.line_of(ORG_REPOSITORY, "text(_where(column))")
    assert tree.findings() == [("SQ001", ORG_REPOSITORY, line)]


def test_a_star_re_export_of_a_row_schema_module_is_a_re_export(tree: Tree) -> None:
    rows_init = f"{INFRA}/row_schemas/__init__.py"
    tree.edit(
        rows_init,
        "from infra.db.row_schemas.organizations import OrganizationsRowSchema\n",
        "from infra.db.row_schemas.organizations import *  # noqa: F403\n",
    )
    assert tree.findings() == []
