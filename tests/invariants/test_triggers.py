"""DB005: every trigger the migrations leave needs a naming and a behavioural pgTAP assertion."""

from __future__ import annotations

from tests.invariants.conftest import Tree

TRIGGERS = "migrations/versions/0002_triggers.py"
SUITE = "sql_tests/organizations/updated_at.sql"
NEW_TRIGGER = '''"""A new trigger.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"

TRIM_NAME = """
CREATE FUNCTION keep_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'domain events are never deleted';
END
$$;
CREATE TRIGGER domain_events_keep BEFORE DELETE ON domain_events
    FOR EACH ROW EXECUTE FUNCTION keep_events();
"""


def upgrade() -> None:
    op.execute(TRIM_NAME)


def downgrade() -> None:
    op.execute("DROP TRIGGER domain_events_keep ON domain_events;")
'''


def created_at(tree: Tree) -> tuple[str, int]:
    return TRIGGERS, tree.line_of(TRIGGERS, "CREATE TRIGGER organizations_set_updated_at")


def test_a_new_trigger_without_any_suite_is_db005_twice_at_its_create_trigger(tree: Tree) -> None:
    path = "migrations/versions/0003_keep_events.py"
    tree.write(path, NEW_TRIGGER)
    line = tree.line_of(path, "CREATE TRIGGER")
    assert tree.findings() == [("DB005", path, line), ("DB005", path, line)]


def test_a_trigger_named_only_in_a_comment_is_db005(tree: Tree) -> None:
    tree.edit(SUITE, "SELECT has_trigger(", "-- SELECT has_trigger(")
    tree.edit(SUITE, "plan(2)", "plan(1)")
    assert tree.findings() == [("DB005", *created_at(tree))]


def test_a_trigger_named_in_a_plain_string_is_db005(tree: Tree) -> None:
    tree.edit(SUITE, "SELECT has_trigger(", "SELECT concat(")
    assert tree.findings() == [("DB005", *created_at(tree))]


def test_a_trigger_whose_event_no_suite_performs_is_db005(tree: Tree) -> None:
    tree.edit(SUITE, "UPDATE organizations SET name = 'Renamed'", "SELECT 'Renamed'")
    tree.edit(
        SUITE,
        "WHERE id = '00000000-0000-0000-0000-000000000001';\nSELECT is(",
        "FROM organizations WHERE id = '00000000-0000-0000-0000-000000000001';\nSELECT is(",
    )
    assert tree.findings() == [("DB005", *created_at(tree))]


def test_a_write_without_any_behavioural_assertion_is_db005(tree: Tree) -> None:
    tree.edit(SUITE, "SELECT is(", "SELECT coalesce(")
    assert tree.findings() == [("DB005", *created_at(tree))]


def test_a_trigger_exercised_by_an_existing_suite_still_needs_a_naming_assertion(
    tree: Tree,
) -> None:
    path = "migrations/versions/0003_trim.py"
    tree.write(
        path,
        NEW_TRIGGER.replace(
            "domain_events_keep BEFORE DELETE ON domain_events",
            "organizations_trim BEFORE INSERT ON organizations",
        ),
    )
    assert tree.findings() == [("DB005", path, tree.line_of(path, "CREATE TRIGGER"))]


def test_a_trigger_in_a_migration_sql_file_is_found(tree: Tree) -> None:
    path = "migrations/versions/sql/0003_audit.sql"
    tree.write(
        path,
        "-- audit trigger\nCREATE TRIGGER organizations_audit AFTER DELETE ON organizations\n"
        "    FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n",
    )
    assert tree.findings() == [("DB005", path, 2), ("DB005", path, 2)]


def test_a_trigger_dropped_by_a_later_upgrade_needs_no_suite(tree: Tree) -> None:
    path = "migrations/versions/0003_keep_events.py"
    tree.write(path, NEW_TRIGGER)
    tree.write(
        "migrations/versions/0004_drop_keep_events.py",
        '"""Drop it again."""\n\nfrom alembic import op\n\nrevision = "0004"\n'
        'down_revision = "0003"\n\n\ndef upgrade() -> None:\n'
        '    op.execute("DROP TRIGGER domain_events_keep ON domain_events")\n',
    )
    assert tree.findings() == []


def test_a_trigger_created_through_a_helper_and_a_loop_is_found(tree: Tree) -> None:
    path = "migrations/versions/0003_loop.py"
    tree.write(
        path,
        '"""Loop."""\n\nfrom alembic import op\n\nrevision = "0003"\ndown_revision = "0002"\n\n'
        "STATEMENTS = (\n"
        '    "CREATE TRIGGER organizations_a BEFORE UPDATE ON organizations '
        'FOR EACH ROW EXECUTE FUNCTION set_updated_at();",\n'
        ")\n\n\ndef _apply() -> None:\n    for statement in STATEMENTS:\n"
        "        op.execute(statement)\n\n\ndef upgrade() -> None:\n    _apply()\n",
    )
    line = tree.line_of(path, "CREATE TRIGGER")
    assert tree.findings() == [("DB005", path, line)]  # named by no suite; UPDATE is exercised


def test_invalid_migration_sql_is_io002_at_the_error(tree: Tree) -> None:
    tree.edit(
        TRIGGERS,
        "CREATE TRIGGER organizations_set_updated_at BEFORE UPDATE",
        "CREATE TRIGGER organizations_set_updated_at BEFOR UPDATE",
    )
    codes = {code for code, _, _ in tree.findings()}
    assert codes == {"IO002"}
    assert tree.findings()[0][1:] == created_at(tree)
