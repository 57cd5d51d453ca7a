"""DB005: every trigger the migrations leave in place is named by a pgTAP assertion and exercised.

Triggers are replayed from the upgrade paths in revision order: CREATE TRIGGER
adds one, DROP TRIGGER / ALTER TRIGGER ... RENAME / DROP TABLE / DROP FUNCTION
... CASCADE remove or rename it. Downgrade paths are ignored: they never run on
the way to head.
"""

from __future__ import annotations

from dataclasses import dataclass

from invariants import sql
from invariants.migrations import SqlText, TableDrop, migration_sql
from invariants.model import Diagnostic, RuleInfo
from invariants.pgtap import SqlTests, read_sql_tests
from invariants.project import Project
from invariants.rule import Rule


@dataclass
class Trigger:
    name: str
    table: str
    function: str
    events: set[str]
    path: str
    line: int
    column: int


def check(project: Project) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    triggers = live_triggers(project, diagnostics)
    tests = read_sql_tests(project)
    diagnostics += tests.diagnostics
    for trigger in triggers:
        diagnostics += _coverage(trigger, tests)
    return diagnostics


def live_triggers(project: Project, diagnostics: list[Diagnostic]) -> list[Trigger]:
    live: dict[tuple[str, str], Trigger] = {}
    for item in migration_sql(project):
        if isinstance(item, TableDrop):
            _drop_table(live, item.table)
        elif item.upgrade:
            _replay(item, live, diagnostics)
        else:
            _parse_only(item, diagnostics)
    return sorted(live.values(), key=lambda t: (t.path, t.line, t.column))


# The statements that add, drop or rename triggers; the rest is only checked for syntax.
REPLAYED = frozenset({"CreateTrigStmt", "DropStmt", "RenameStmt"})


def _parse(
    item: SqlText, diagnostics: list[Diagnostic], kinds: frozenset[str] = REPLAYED
) -> list[sql.Statement]:
    try:
        return sql.statements(item.text, kinds)
    except sql.SqlSyntaxError as error:
        line, column = item.position(error.offset)
        diagnostics.append(
            Diagnostic(item.path, line, column, "IO002", f"SQL syntax error: {error}; fix it")
        )
        return []


def _parse_only(item: SqlText, diagnostics: list[Diagnostic]) -> None:
    if "TRIGGER" in item.text.upper():  # downgrade SQL is checked for syntax only where it matters
        _parse(item, diagnostics, frozenset())


def _replay(
    item: SqlText, live: dict[tuple[str, str], Trigger], diagnostics: list[Diagnostic]
) -> None:
    upper = item.text.upper()
    if "TRIGGER" not in upper and "DROP" not in upper:
        return
    for statement in _parse(item, diagnostics):
        body = statement.body
        if statement.kind == "CreateTrigStmt":
            table = sql.relation_name(body.get("relation"))
            line, column = item.position(statement.offset)
            function = sql.last_name(body.get("funcname"))
            name = str(body.get("trigname", "")).lower()
            live[(table, name)] = Trigger(
                name, table, function, sql.events(body), item.path, line, column
            )
        elif statement.kind == "DropStmt":
            _drop(body, live)
        elif statement.kind == "RenameStmt" and body.get("renameType") == "OBJECT_TRIGGER":
            table = sql.relation_name(body.get("relation"))
            trigger = live.pop((table, str(body.get("subname", "")).lower()), None)
            if trigger is not None:
                # From here on the trigger is the one this statement names: report it here.
                line, column = item.position(statement.offset)
                trigger.name = str(body.get("newname", "")).lower()
                trigger.path, trigger.line, trigger.column = item.path, line, column
                live[(table, trigger.name)] = trigger


def _drop(body: sql.Node, live: dict[tuple[str, str], Trigger]) -> None:
    kind = body.get("removeType")
    for target in body.get("objects", []):
        parts = [p.lower() for p in sql.names(target.get("List", {}).get("items"))]
        if kind == "OBJECT_TRIGGER" and len(parts) >= 2:
            live.pop((parts[-2], parts[-1]), None)
        elif kind == "OBJECT_TABLE" and parts:
            _drop_table(live, parts[-1])
    if kind == "OBJECT_FUNCTION" and body.get("behavior") == "DROP_CASCADE":
        for target in body.get("objects", []):
            function = target.get("ObjectWithArgs", {})
            name = sql.last_name(function.get("objname"))
            for key in [k for k, t in live.items() if t.function == name]:
                del live[key]


def _drop_table(live: dict[tuple[str, str], Trigger], table: str) -> None:
    for key in [k for k in live if k[0] == table.lower()]:
        del live[key]


def _coverage(trigger: Trigger, tests: SqlTests) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if not any(trigger.name in suite.named_triggers for suite in tests.suites):
        found.append(
            _db005(
                trigger,
                f"trigger {trigger.name} on {trigger.table} is not named by any "
                "pgTAP assertion: add has_trigger/trigger_is/triggers_are for it "
                "under sql_tests/",
            )
        )
    exercised = any(
        tests.asserts_behaviour(suite)
        and any((trigger.table, event) in tests.writes_of(suite) for event in trigger.events)
        for suite in tests.suites
    )
    if not exercised:
        events = "/".join(sorted(trigger.events)) or "a write"
        found.append(
            _db005(
                trigger,
                f"trigger {trigger.name} is never exercised: add a sql_tests/ "
                f"suite that does {events} on {trigger.table} and asserts the "
                "outcome",
            )
        )
    return found


def _db005(trigger: Trigger, message: str) -> Diagnostic:
    return Diagnostic(trigger.path, trigger.line, trigger.column, "DB005", message)


DB005 = RuleInfo(
    "DB005",
    "trigger-has-pgtap-coverage",
    "Every trigger the migrations leave in place has a pgTAP assertion naming it "
    "(`has_trigger`, `trigger_is`, `triggers_are`) and a behavioural assertion in a suite "
    "that writes to its table.",
    "Triggers enforce rules the application relies on; only a test that fires them "
    "proves they work.",
    "Add a suite under `sql_tests/` that asserts the trigger exists and exercises it with "
    "an INSERT/UPDATE/DELETE on its table.",
)


RULE = Rule(infos=(DB005,), check=check)
