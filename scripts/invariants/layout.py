"""Where things live in a Strata repository (paths relative to the root, POSIX style)."""

from __future__ import annotations

INFRA_DB = "packages/infra/db/src/infra/db"
SCHEMA_MODULE = f"{INFRA_DB}/schema.py"
JSON_SCHEMA_MODULE = f"{INFRA_DB}/json_schema.py"
ROW_SCHEMAS = f"{INFRA_DB}/row_schemas"
FACTORIES = f"{INFRA_DB}/factories"
REPOSITORIES = f"{INFRA_DB}/repositories"
DOMAIN_EVENTS_REPOSITORY = f"{REPOSITORIES}/domain_events.py"
RETENTION_TARGETS = f"{INFRA_DB}/retention/targets.py"
RECONCILE_RETENTION_SQL = (
    "packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql"
)
EVENT_REGISTRY = "packages/core/src/core/event_registry.py"
APP = "packages/app"
OUTBOX_HANDLERS = f"{APP}/src/app/outbox/registry.py"
MIGRATIONS = "migrations"
SQL_TESTS = "sql_tests"

# Source roots put on sys.path when project code must run (RT001, DB006).
SOURCE_ROOTS = ("packages/core/src", "packages/infra/db/src", "packages/app/src")

# Python is checked here; tests/invariants/fixtures holds deliberately broken trees.
CHECKED_ROOTS = {
    "packages": (".py", ".sql"),
    "migrations": (".py", ".sql"),
    "scripts": (".py",),
    "tests": (".py",),
    SQL_TESTS: (".sql", ".psql"),
}
EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".import_linter_cache",
        "build",
        "dist",
    }
)
EXCLUDED_PATHS = frozenset({"tests/invariants/fixtures"})

# Modules allowed to read environment variables (EN001), besides any workspace package's
# settings.py; EN001 does not check scripts/, so their settings modules need no entry.
SETTINGS_MODULES = frozenset({f"{INFRA_DB}/env.py"})


def in_dir(path: str, directory: str) -> bool:
    return path.startswith(directory + "/")


def is_application_code(path: str) -> bool:
    """Code shipped in the workspace packages (not tests, scripts or migrations)."""
    return in_dir(path, "packages")


def dotted_name(path: str) -> str | None:
    """`packages/infra/db/src/infra/db/schema.py` -> `infra.db.schema`; None outside packages."""
    parts = path.removesuffix(".py").split("/")
    if parts[0] == "packages" and "src" in parts:
        parts = parts[parts.index("src") + 1 :]
    elif parts[0] == "scripts" and len(parts) > 2:  # scripts/<package>/<module>.py
        parts = parts[1:]
    else:
        return None
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or None


def pascal_case(table: str) -> str:
    return "".join(part.capitalize() for part in table.split("_"))
