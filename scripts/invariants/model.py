"""Diagnostics and the catalogue of rules (codes are stable: never renumber or reuse one)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One violation at `path:line:column` (path relative to the root, 1-based line and column)."""

    path: str
    line: int
    column: int
    code: str
    message: str

    def render(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


@dataclass(frozen=True)
class RuleInfo:
    """What a rule enforces, why, and how to fix a violation (shown in SARIF and the README)."""

    code: str
    name: str
    summary: str
    why: str
    fix: str


RULES: dict[str, RuleInfo] = {
    rule.code: rule
    for rule in (
        RuleInfo(
            "DB001",
            "table-constants",
            'Tables are module-level `name = Table("name", metadata, ...)` constants in infra.db; '
            "`Table` is never aliased, re-bound or wrapped.",
            "The checker, the migrations and every reader find tables by reading that one shape.",
            "Declare the table as a module-level constant named like the table, on the shared "
            "`metadata`, calling `Table` directly.",
        ),
        RuleInfo(
            "DB002",
            "row-schema-per-table",
            "Every table has `row_schemas/<table>.py` exporting `<Table>RowSchema` and "
            "`<Table>RowShape`, re-exported from `row_schemas/__init__.py`; no orphans.",
            "Every row read from the database is decoded through exactly one typed schema.",
            "Add (or rename, or delete) the row-schema module and re-export both names.",
        ),
        RuleInfo(
            "DB003",
            "row-schema-matches-table",
            "Row-schema fields match the table's columns: names, nullability and type families; "
            "JSON columns use a type declared in `json_schema.py`.",
            "A schema that drifts from its table decodes rows wrongly or fails at run time.",
            "Make the field's name, `| None` and type agree with the column (see the message).",
        ),
        RuleInfo(
            "DB004",
            "factory-per-table",
            "Every table has `factories/<table>.py` exporting `<Table>Factory` whose "
            "`Meta.model` is `<Table>RowSchema`, re-exported from `factories/__init__.py`; no "
            "orphans.",
            "Tests and the demo build valid rows the same way for every table.",
            "Add (or fix) the factory module and its `class Meta: model = <Table>RowSchema`.",
        ),
        RuleInfo(
            "DB005",
            "trigger-has-pgtap-coverage",
            "Every trigger the migrations leave in place has a pgTAP assertion naming it "
            "(`has_trigger`, `trigger_is`, `triggers_are`) and a behavioural assertion in a suite "
            "that writes to its table.",
            "Triggers enforce rules the application relies on; only a test that fires them "
            "proves they work.",
            "Add a suite under `sql_tests/` that asserts the trigger exists and exercises it with "
            "an INSERT/UPDATE/DELETE on its table.",
        ),
        RuleInfo(
            "DB006",
            "no-schema-drift",
            "The migrations produce exactly the schema declared in `schema.py` (Alembic "
            "autogenerate comparison against a migrated database).",
            "Code written against `schema.py` must match the database the migrations build.",
            "Write a migration for the change (or fix `schema.py`); `alembic revision "
            "--autogenerate` shows the difference.",
        ),
        RuleInfo(
            "RP001",
            "queries-only-in-repositories",
            "Only modules under `infra/db/repositories/` execute queries.",
            "One place to look for every statement, its error translation and its decoding.",
            "Move the statement into a repository function and call that through a port.",
        ),
        RuleInfo(
            "RP002",
            "repositories-decode-rows",
            "A repository function that fetches rows decodes them through a `<Table>RowSchema`.",
            "Raw rows leak untyped, unvalidated data into the domain.",
            "Decode each row with `<Table>RowSchema.model_validate(...)` (or a helper that does).",
        ),
        RuleInfo(
            "RP003",
            "repositories-do-not-unwrap",
            "Repositories do not unwrap `returns` containers (`unwrap`, `failure`, `value_or`, "
            "`unsafe_perform_io`, matching on Success/Failure).",
            "Only entry points (CLI, activities) decide what a failure means.",
            "Compose with `map`/`bind`/`alt`/`lash` and return the container.",
        ),
        RuleInfo(
            "DE001",
            "domain-events-single-writer",
            "Inserts into `domain_events` happen only in `repositories/domain_events.py`.",
            "Sequence numbers are only correct when one helper assigns them.",
            "Call `insert_domain_event_in_transaction(tx, event)` instead.",
        ),
        RuleInfo(
            "DE002",
            "domain-event-registry",
            "Event type names are registered in `EVENT_PAYLOAD_TYPES`, match "
            "`^[a-z][a-z_]*\\.[a-z][a-z_]*$`, and each has a payload class.",
            "Consumers decode events by name; an unregistered name cannot be decoded.",
            "Register the name with its payload class in `core/event_registry.py`.",
        ),
        RuleInfo(
            "RT001",
            "retention-in-step",
            "The committed `reconcile_retention_settings.sql` is what the retention "
            "declaration (`infra/db/retention/targets.py`) renders, and no target is declared "
            "twice (the SQL is regenerated and compared).",
            "A stale file leaves a new target without its default setting, or reverts an "
            "operator-visible default.",
            "Run `strata db schemas generate` and commit the file.",
        ),
        RuleInfo(
            "WF001",
            "deterministic-workflows",
            "Workflow code uses no wall clock, sleep, random, uuid4, I/O or threads.",
            "Temporal replays workflow code; anything non-deterministic breaks replay.",
            "Use `workflow.now()`, `workflow.uuid4()`, `workflow.random()`, `asyncio.sleep` / "
            "`workflow.sleep`, or move the work into an activity.",
        ),
        RuleInfo(
            "EN001",
            "environment-in-settings-only",
            "Environment variables are read only in settings modules.",
            "Configuration is validated once, typed and documented in one place.",
            "Add a field to the settings class (pydantic-settings) and pass the value in.",
        ),
        RuleInfo(
            "SQ001",
            "no-sql-string-building",
            "SQL text given to `text()`, `exec_driver_sql`, `execute` or `sql.SQL` is never built "
            "with f-strings, `%`, `.format` or `+`/`join` of runtime values.",
            "String-built SQL is how injection happens.",
            "Use bind parameters, SQLAlchemy Core, or `psycopg.sql` composition.",
        ),
        RuleInfo(
            "TY001",
            "no-blanket-suppression",
            "No bare `# type: ignore` (an error code is required), no bare `except:` and no "
            "`except ...:` whose body is only `pass`/`...`.",
            "Blanket suppressions hide the next, unrelated error.",
            "Name the mypy error code; catch a specific exception and handle or re-raise it.",
        ),
        RuleInfo(
            "SP001",
            "suppression-needs-reason",
            "A `# strata: ignore[CODE] reason` suppression names known codes and gives a reason.",
            "A suppression is a decision someone must be able to review.",
            "Write why the rule does not apply after the closing bracket.",
        ),
        RuleInfo(
            "IO001",
            "unreadable-file",
            "Every checked file can be read: UTF-8, no broken symlink, no symlink loop.",
            "A file the checker cannot read is a file nobody checks.",
            "Re-encode the file as UTF-8 or fix the link.",
        ),
        RuleInfo(
            "IO002",
            "unparsable-file",
            "Every checked Python file and SQL text parses (Python's parser, PostgreSQL's parser "
            "via pglast).",
            "A file that does not parse cannot be checked, and will not run.",
            "Fix the syntax error at the reported position.",
        ),
    )
}
