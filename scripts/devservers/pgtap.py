"""The pgTAP step: pg_prove over sql_tests/ in a freshly migrated database, then trigger coverage.

The suites run in a database of their own (`strata_pgtap`, created next to the
target database and dropped afterwards) for two reasons:

- Trigger coverage is read from the cumulative statistics. `calls` in
  `pg_stat_user_functions` counts only calls that *returned*: a guard that
  raised (every call of `reject_audit_event_update`, every rejected
  transition) is never counted, and counts reach shared memory only when the
  backend flushes, up to seconds later. The statistics *entry* of a function,
  however, is created the moment a tracked call starts, whether it then
  returns, raises or is rolled back. So "the function has an entry" means "it
  fired", reliably and at once, but only in a database where nothing ran the
  functions before: `pg_stat_reset()` zeroes entries without removing them.
- A database that starts empty proves that no suite leaves rows behind.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql

from devservers.stack import (
    DatabaseTarget,
    StackError,
    create_scratch_database,
    drop_database,
    libpq_url,
    on_database,
)
from devservers.suite import REPOSITORY_ROOT, StepFailedError, console, run_step, strata

PGTAP_DATABASE = "strata_pgtap"
SQL_TESTS = REPOSITORY_ROOT / "sql_tests"
HELPERS = SQL_TESTS / "_setup" / "helpers.psql"

# libpq connection keywords and the environment variables psql reads them from.
LIBPQ_ENVIRONMENT = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "passfile": "PGPASSFILE",
    "dbname": "PGDATABASE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "channel_binding": "PGCHANNELBINDING",
    "gssencmode": "PGGSSENCMODE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}

# Non-internal triggers on the application's tables, one row per trigger function.
TRIGGER_FUNCTIONS = """
SELECT p.oid::regprocedure::text AS function,
       string_agg(t.tgname, ', ' ORDER BY t.tgname) AS triggers,
       pg_stat_get_function_calls(p.oid) IS NOT NULL AS fired
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE NOT t.tgisinternal AND n.nspname = 'public'
GROUP BY p.oid
ORDER BY 1
"""

APPLICATION_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'alembic_version'
ORDER BY 1
"""


@dataclass(frozen=True)
class TriggerFunction:
    name: str
    triggers: str
    fired: bool


def libpq_environment(url: str) -> dict[str, str]:
    """The PG* variables that make psql (and so pg_prove) connect to `url`."""
    parameters = psycopg.conninfo.conninfo_to_dict(libpq_url(url))
    unknown = sorted(set(parameters) - set(LIBPQ_ENVIRONMENT))
    if unknown:
        raise StackError(f"pgTAP: cannot pass {', '.join(unknown)} to psql")
    return {LIBPQ_ENVIRONMENT[key]: str(value) for key, value in parameters.items()}


def run_pgtap(target: DatabaseTarget, pg_prove_options: Sequence[str] = ()) -> None:
    """Migrate a fresh database, run every suite with pg_prove, then check coverage and rows.

    Raises:
        StepFailedError: a suite failed, a trigger function never fired, or rows were left.
        StackError: pg_prove is missing or function calls cannot be tracked.
    """
    pg_prove = shutil.which("pg_prove")
    if pg_prove is None:
        raise StackError("pg_prove not found: scripts/lib/bootstrap.sh installs it")
    owner_url = create_scratch_database(target.owner_url, PGTAP_DATABASE)
    try:
        environment = {
            "MIGRATION_DATABASE_URL": owner_url,
            "DATABASE_URL": on_database(target.runtime_url, PGTAP_DATABASE),
        }
        run_step(f"pgTAP database {PGTAP_DATABASE} (strata db migrate)",
                 strata("db", "migrate"), environment)  # fmt: skip
        install_helpers(owner_url)
        require_untouched_triggers(owner_url)
        suites_passed = run_suites(pg_prove, owner_url, pg_prove_options)
        # Coverage and leftovers are reported even when a suite failed: all three at once.
        covered = check_trigger_coverage(owner_url)
        clean = check_no_rows_left(owner_url)
        if not (suites_passed and covered and clean):
            raise StepFailedError("pgTAP", 1)
    finally:
        drop_database(target.owner_url, PGTAP_DATABASE)


def run_suites(pg_prove: str, owner_url: str, options: Sequence[str]) -> bool:
    command = [pg_prove, "--ext", ".sql", "--recurse", "--shuffle", *options, SQL_TESTS.name]
    try:
        run_step("pgTAP (pg_prove sql_tests/)", command, libpq_environment(owner_url))
    except StepFailedError:
        return False
    return True


def install_helpers(owner_url: str) -> None:
    """Track function calls in this database, install pgTAP and the `tests` schema."""
    with psycopg.connect(libpq_url(owner_url), autocommit=True) as conn:
        enable_function_tracking(conn)
        # The helpers file is committed SQL without parameters.
        conn.execute(HELPERS.read_text(encoding="utf-8").encode())


def enable_function_tracking(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    database = sql.Identifier(PGTAP_DATABASE)
    try:
        conn.execute(sql.SQL("ALTER DATABASE {} SET track_functions = 'all'").format(database))
    except psycopg.errors.InsufficientPrivilege:
        setting = conn.execute("SHOW track_functions").fetchone()
        if setting is None or setting[0] == "none":
            raise StackError(
                "track_functions is 'none' and this login may not change it: set "
                "track_functions = 'pl' on the server (or GRANT SET ON PARAMETER "
                "track_functions to the migration login) so trigger coverage can be proven"
            ) from None


def trigger_functions(owner_url: str) -> list[TriggerFunction]:
    with psycopg.connect(libpq_url(owner_url)) as conn:
        rows = conn.execute(TRIGGER_FUNCTIONS).fetchall()
    return [TriggerFunction(name=row[0], triggers=row[1], fired=row[2]) for row in rows]


def require_untouched_triggers(owner_url: str) -> None:
    """Coverage means something only if no trigger function ran before the suites."""
    early = [function.name for function in trigger_functions(owner_url) if function.fired]
    if early:
        raise StackError(
            f"trigger functions ran before pg_prove (a migration fires them): {', '.join(early)}; "
            "their coverage cannot be proven"
        )


def check_trigger_coverage(owner_url: str) -> bool:
    """Print the coverage line and every trigger function that never fired."""
    functions = trigger_functions(owner_url)
    fired = [function for function in functions if function.fired]
    console.print(f"triggers: {len(functions)}, fired: {len(fired)}")
    for function in functions:
        if not function.fired:
            console.print(f"[red]never fired: {function.name}, used by {function.triggers}",
                          soft_wrap=True)  # fmt: skip
    return len(fired) == len(functions)


def check_no_rows_left(owner_url: str) -> bool:
    """The database started empty; every suite rolls back, so it must still be empty."""
    with psycopg.connect(libpq_url(owner_url)) as conn:
        tables = [row[0] for row in conn.execute(APPLICATION_TABLES).fetchall()]
        left = [
            table
            for table in tables
            if conn.execute(
                sql.SQL("SELECT EXISTS (SELECT FROM {})").format(sql.Identifier(table))
            ).fetchone()
            != (False,)
        ]
    if left:
        console.print(f"[red]rows left behind in: {', '.join(left)}")
    return not left
