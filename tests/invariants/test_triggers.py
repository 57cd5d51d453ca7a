"""DB005: every trigger the migrations leave needs a naming and a behavioural pgTAP assertion."""

from __future__ import annotations

import pytest

from tests.invariants.conftest import Scenario, Tree, migration, replace, scenario, write

TRIGGERS = "migrations/versions/0002_triggers.py"
SET_UPDATED_AT = "CREATE TRIGGER organizations_set_updated_at"
SUITE = "sql_tests/organizations/updated_at.sql"
KEEP_EVENTS = "migrations/versions/0003_keep_events.py"
NEW_TRIGGER = migration(
    "A new trigger.\n\nRevision ID: 0003\n",
    "0003",
    '''
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
''',
)
TRIM = "migrations/versions/0003_trim.py"
AUDIT_SQL = "migrations/versions/sql/0003_audit.sql"
LOOP = "migrations/versions/0003_loop.py"


@pytest.mark.parametrize(
    "scenario",
    [
        scenario(
            "a new trigger without any suite is DB005 twice at its CREATE TRIGGER",
            write(KEEP_EVENTS, NEW_TRIGGER),
            findings=[
                ("DB005", KEEP_EVENTS, "CREATE TRIGGER"),
                ("DB005", KEEP_EVENTS, "CREATE TRIGGER"),
            ],
        ),
        scenario(
            "a trigger named only in a comment is DB005",
            replace(SUITE, "SELECT has_trigger(", "-- SELECT has_trigger("),
            replace(SUITE, "plan(2)", "plan(1)"),
            findings=[("DB005", TRIGGERS, SET_UPDATED_AT)],
        ),
        scenario(
            "a trigger named in a plain string is DB005",
            replace(SUITE, "SELECT has_trigger(", "SELECT concat("),
            findings=[("DB005", TRIGGERS, SET_UPDATED_AT)],
        ),
        scenario(
            "a trigger whose event no suite performs is DB005",
            replace(SUITE, "UPDATE organizations SET name = 'Renamed'", "SELECT 'Renamed'"),
            replace(
                SUITE,
                "WHERE id = '00000000-0000-0000-0000-000000000001';\nSELECT is(",
                "FROM organizations WHERE id = '00000000-0000-0000-0000-000000000001';\nSELECT is(",
            ),
            findings=[("DB005", TRIGGERS, SET_UPDATED_AT)],
        ),
        scenario(
            "a write without any behavioural assertion is DB005",
            replace(SUITE, "SELECT is(", "SELECT coalesce("),
            findings=[("DB005", TRIGGERS, SET_UPDATED_AT)],
        ),
        scenario(
            "a trigger exercised by an existing suite still needs a naming assertion",
            write(
                TRIM,
                NEW_TRIGGER.replace(
                    "domain_events_keep BEFORE DELETE ON domain_events",
                    "organizations_trim BEFORE INSERT ON organizations",
                ),
            ),
            findings=[("DB005", TRIM, "CREATE TRIGGER")],
        ),
        scenario(
            "a trigger in a migration SQL file is found",
            write(
                AUDIT_SQL,
                "-- audit trigger\n"
                "CREATE TRIGGER organizations_audit AFTER DELETE ON organizations\n"
                "    FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n",
            ),
            findings=[("DB005", AUDIT_SQL, 2), ("DB005", AUDIT_SQL, 2)],
        ),
        scenario(
            "a trigger dropped by a later upgrade needs no suite",
            write(KEEP_EVENTS, NEW_TRIGGER),
            write(
                "migrations/versions/0004_drop_keep_events.py",
                migration(
                    "Drop it again.",
                    "0004",
                    "\n\ndef upgrade() -> None:\n"
                    '    op.execute("DROP TRIGGER domain_events_keep ON domain_events")\n',
                ),
            ),
        ),
        scenario(
            # named by no suite; UPDATE is exercised
            "a trigger created through a helper and a loop is found",
            write(
                LOOP,
                migration(
                    "Loop.",
                    "0003",
                    "\nSTATEMENTS = (\n"
                    '    "CREATE TRIGGER organizations_a BEFORE UPDATE ON organizations '
                    'FOR EACH ROW EXECUTE FUNCTION set_updated_at();",\n'
                    ")\n\n\ndef _apply() -> None:\n    for statement in STATEMENTS:\n"
                    "        op.execute(statement)\n\n\ndef upgrade() -> None:\n    _apply()\n",
                ),
            ),
            findings=[("DB005", LOOP, "CREATE TRIGGER")],
        ),
    ],
)
def test_db005_reports_each_change_at_its_line(tree: Tree, scenario: Scenario) -> None:
    scenario.check(tree)


def test_invalid_migration_sql_is_io002_at_the_error(tree: Tree) -> None:
    tree.edit(TRIGGERS, f"{SET_UPDATED_AT} BEFORE UPDATE", f"{SET_UPDATED_AT} BEFOR UPDATE")
    codes = {code for code, _, _ in tree.findings()}
    assert codes == {"IO002"}
    assert tree.findings()[0][1:] == (TRIGGERS, tree.line_of(TRIGGERS, SET_UPDATED_AT))
