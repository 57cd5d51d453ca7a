"""The Strata checkout a scaffold goes into: where things are, and what already exists.

Facts are read from the files (schema.py through `ast`, SQL names from the
migrations' text), never by importing the checkout: it may not be the one this
`strata` was installed from.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Final

from app.scaffold.errors import ScaffoldRefusedError

INFRA_DB: Final = "packages/infra/db/src/infra/db"
CORE: Final = "packages/core/src/core"
SCHEMA: Final = f"{INFRA_DB}/schema.py"
ROW_SCHEMAS: Final = f"{INFRA_DB}/row_schemas"
FACTORIES: Final = f"{INFRA_DB}/factories"
REPOSITORIES: Final = f"{INFRA_DB}/repositories"
PROVIDER: Final = f"{INFRA_DB}/provider.py"
DOMAINS: Final = f"{CORE}/domains"
UNIT_OF_WORK: Final = f"{CORE}/unit_of_work.py"
MIGRATIONS: Final = "migrations"
REVISIONS: Final = f"{MIGRATIONS}/versions"
SQL_TESTS: Final = "sql_tests"
TABLES_AND_TYPES: Final = f"{SQL_TESTS}/public/tables_and_types.sql"
INTEGRATION_TESTS: Final = "tests/integration/data_layer"
MARKERS: Final = ("alembic.ini", SCHEMA)

CREATED_FUNCTION: Final = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?:public\.)?\"?(\w+)", re.IGNORECASE
)
CREATED_TRIGGER: Final = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER\s+\"?(\w+)", re.IGNORECASE
)


@dataclass(frozen=True)
class Checkout:
    """A Strata repository on disk, by its root."""

    root: Path

    @classmethod
    def containing(cls, start: Path) -> Checkout:
        """The checkout `start` is in (or is).

        Raises:
            ScaffoldRefusedError: no directory from `start` upwards looks like one.
        """
        for directory in (start.resolve(), *start.resolve().parents):
            if all((directory / marker).is_file() for marker in MARKERS):
                return cls(directory)
        raise ScaffoldRefusedError(
            f"{start} is not inside a Strata checkout (no alembic.ini with {SCHEMA} "
            "above it): run this from the repository or pass --repository",
            "broken",
        )

    def path(self, relative: str) -> Path:
        return self.root / relative

    def exists(self, relative: str) -> bool:
        return self.path(relative).exists()

    def text(self, relative: str) -> str:
        """A file the scaffold reads or edits.

        Raises:
            ScaffoldRefusedError: it is missing (the checkout is not the expected shape).
        """
        try:
            return self.path(relative).read_text(encoding="utf-8")
        except OSError as error:
            raise ScaffoldRefusedError(f"cannot read {relative}: {error}", "broken") from error

    @cached_property
    def schema(self) -> ast.Module:
        return ast.parse(self.text(SCHEMA), SCHEMA)

    @cached_property
    def tables(self) -> dict[str, bool]:
        """Every table of schema.py, and whether its primary key is a uuid `id`."""
        found: dict[str, bool] = {}
        for statement in self.schema.body:
            call = _assigned_call(statement)
            if call is None or _callee(call) != "Table" or not call.args:
                continue
            first = call.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[first.value] = any(_is_uuid_id(argument) for argument in call.args[2:])
        return found

    @cached_property
    def schema_names(self) -> frozenset[str]:
        """The names schema.py binds at module level (a new constant must not rebind one)."""
        names: set[str] = set()
        for statement in self.schema.body:
            if isinstance(statement, ast.Assign):
                names |= {t.id for t in statement.targets if isinstance(t, ast.Name)}
            elif isinstance(statement, ast.ImportFrom | ast.Import):
                names |= {alias.asname or alias.name.split(".")[0] for alias in statement.names}
            elif isinstance(statement, ast.FunctionDef | ast.ClassDef):
                names.add(statement.name)
        return frozenset(names)

    @cached_property
    def enum_types(self) -> frozenset[str]:
        """The PostgreSQL enum types schema.py declares (`Enum(..., name=...)`)."""
        return frozenset(
            keyword.value.value
            for node in ast.walk(self.schema)
            if isinstance(node, ast.Call) and _callee(node) == "Enum"
            for keyword in node.keywords
            if keyword.arg == "name"
            and isinstance(keyword.value, ast.Constant)
            and isinstance(keyword.value.value, str)
        )

    @cached_property
    def migration_sql(self) -> str:
        """The text of every migration file, Python and SQL."""
        directory = self.path(MIGRATIONS)
        files = sorted([*directory.rglob("*.py"), *directory.rglob("*.sql")])
        return "\n".join(path.read_text(encoding="utf-8") for path in files)

    @cached_property
    def functions(self) -> frozenset[str]:
        """Functions some migration creates."""
        return frozenset(name.lower() for name in CREATED_FUNCTION.findall(self.migration_sql))

    @cached_property
    def triggers(self) -> frozenset[str]:
        """Triggers some migration creates."""
        return frozenset(name.lower() for name in CREATED_TRIGGER.findall(self.migration_sql))


def _assigned_call(statement: ast.stmt) -> ast.Call | None:
    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
        return statement.value
    return None


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _is_uuid_id(argument: ast.expr) -> bool:
    """`Column("id", UUID(...), primary_key=True, ...)`."""
    if not (isinstance(argument, ast.Call) and _callee(argument) == "Column"):
        return False
    if len(argument.args) < 2 or not isinstance(argument.args[0], ast.Constant):
        return False
    type_node = argument.args[1]
    type_name = _callee(type_node) if isinstance(type_node, ast.Call) else ""
    primary = any(
        k.arg == "primary_key" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in argument.keywords
    )
    return argument.args[0].value == "id" and type_name in {"UUID", "Uuid"} and primary
