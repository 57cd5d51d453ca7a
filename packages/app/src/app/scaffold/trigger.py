"""`strata scaffold trigger`: a revision with the function and trigger, and its failing suite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from app.scaffold.checkout import REVISIONS, SCHEMA, SQL_TESTS, Checkout
from app.scaffold.errors import ScaffoldRefusedError
from app.scaffold.names import check_identifier, check_length
from app.scaffold.plan import FileChange, Plan
from app.scaffold.render import render, ruff_python
from app.scaffold.revisions import next_revision

TIMINGS: Final = ("BEFORE", "AFTER")
# Row-level events, in the order PostgreSQL prints them; TRUNCATE has no rows to fire for.
EVENTS: Final = ("INSERT", "UPDATE", "DELETE")
SUITE_FILE: Final = "fires.sql"


@dataclass(frozen=True)
class TriggerRequest:
    """What `strata scaffold trigger` was asked for, before validation."""

    function: str
    table: str
    when: str
    events: str


def plan_trigger(checkout: Checkout, request: TriggerRequest, today: date) -> Plan:
    """The revision and the pgTAP suite of a new trigger function, rendered in memory.

    Raises:
        ScaffoldRefusedError: an invalid or taken name, an unknown table, a timing or
            event that is not one of the allowed ones.
    """
    function = check_identifier(request.function, "trigger function name")
    when = request.when.strip().upper()
    if when not in TIMINGS:
        raise ScaffoldRefusedError(f"--when {request.when!r} is not BEFORE or AFTER")
    events = _events(request.events)
    table = request.table
    if table not in checkout.tables:
        raise ScaffoldRefusedError(
            f"table {table!r} is not declared in {SCHEMA}: scaffold or migrate it first",
            "unknown",
        )
    trigger = f"{table}_{function}"
    check_length(trigger, "trigger name")
    if function in checkout.functions:
        raise ScaffoldRefusedError(
            f"a migration already creates the function {function}()", "exists"
        )
    if trigger in checkout.triggers:
        raise ScaffoldRefusedError(f"a migration already creates the trigger {trigger}", "exists")
    if checkout.exists(f"{SQL_TESTS}/{function}"):
        raise ScaffoldRefusedError(f"{SQL_TESTS}/{function} already exists", "exists")
    revision = next_revision(checkout)
    context = {
        "function": function,
        "table": table,
        "trigger": trigger,
        "when": when,
        "events": events,
        "events_sql": " OR ".join(events),
        "events_verbs": " or ".join(event.lower() for event in events),
        "suite_file": SUITE_FILE,
        "revision": revision.revision,
        "down_revision": revision.down_revision or "",
        "down_revision_literal": revision.down_revision_literal,
        "date": today.isoformat(),
    }
    migration = f"{REVISIONS}/{revision.file_name(function)}"
    suite = f"{SQL_TESTS}/{function}/{SUITE_FILE}"
    return Plan(
        (
            FileChange(
                migration,
                ruff_python(checkout.root, migration, render("migration_trigger.py.j2", **context)),
                True,
            ),
            FileChange(suite, render("trigger_suite.sql.j2", **context), True),
        )
    )


def _events(written: str) -> list[str]:
    """`insert,update` -> ["INSERT", "UPDATE"], in PostgreSQL's order.

    Raises:
        ScaffoldRefusedError: an empty list, an unknown event, or one given twice.
    """
    given = [event.strip().upper() for event in written.split(",") if event.strip()]
    if not given:
        raise ScaffoldRefusedError("--events needs at least one of INSERT, UPDATE, DELETE")
    unknown = [event for event in given if event not in EVENTS]
    if unknown:
        raise ScaffoldRefusedError(
            f"--events: {', '.join(unknown)} is not INSERT, UPDATE or DELETE"
        )
    if len(set(given)) != len(given):
        raise ScaffoldRefusedError("--events names an event twice")
    return [event for event in EVENTS if event in given]
