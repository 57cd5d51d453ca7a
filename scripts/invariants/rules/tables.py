"""DB001: tables are module-level `name = Table("name", metadata, ...)` constants in infra.db.

The schema reader records every other use of `Table` as a fact; this rule says
what is wrong with each and how to fix it.
"""

from __future__ import annotations

from invariants.model import Diagnostic, RuleInfo
from invariants.project import Project
from invariants.rule import Rule
from invariants.schema_reader import Misuse, TableMisuse, read_schema


def check(project: Project) -> list[Diagnostic]:
    return [_diagnostic(misuse) for misuse in read_schema(project).misuses]


def _diagnostic(misuse: TableMisuse) -> Diagnostic:
    return Diagnostic.at(misuse.module.path, misuse.node, "DB001", _message(misuse))


def _message(misuse: TableMisuse) -> str:  # noqa: PLR0911 - one message per kind of misuse
    match misuse.kind:
        case Misuse.ALIASED_IMPORT:
            return (
                f"`Table` is imported as `{misuse.name}`: import it "
                "as `Table` (no alias) so every table is found"
            )
        case Misuse.REBOUND:
            return "`Table` is re-bound: never assign to the name `Table`"
        case Misuse.OUTSIDE_INFRA_DB:
            return (
                "tables are defined only in infra.db: move this table "
                "into packages/infra/db/src/infra/db/"
            )
        case Misuse.BUILT_IN_EXPRESSION:
            return (
                '`Table(...)` must be a module-level `name = Table("name", '
                "metadata, ...)` constant: do not build tables in functions or expressions"
            )
        case Misuse.PASSED_AROUND:
            return (
                "`Table` is aliased, passed around or wrapped: call it directly "
                "in a module-level `name = Table(...)` constant"
            )
        case Misuse.NAME_NOT_LITERAL:
            return (
                "the table name must be a string literal: "
                f'`{misuse.name} = Table("{misuse.name}", metadata, ...)`'
            )
        case Misuse.MISNAMED_CONSTANT:
            return (
                f'table "{misuse.name}" is bound to `{misuse.bound_to}`: '
                f"name the constant like the table, `{misuse.name} = Table(...)`"
            )
        case Misuse.NOT_ON_SHARED_METADATA:
            return (
                f'table "{misuse.name}" must be on the shared '
                "`metadata` of infra.db.schema (second argument)"
            )


DB001 = RuleInfo(
    "DB001",
    "table-constants",
    'Tables are module-level `name = Table("name", metadata, ...)` constants in infra.db; '
    "`Table` is never aliased, re-bound or wrapped.",
    "The checker, the migrations and every reader find tables by reading that one shape.",
    "Declare the table as a module-level constant named like the table, on the shared "
    "`metadata`, calling `Table` directly.",
)


RULE = Rule(infos=(DB001,), check=check)
