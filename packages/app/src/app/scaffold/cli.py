"""`strata scaffold table|trigger`: generate a new table or trigger in the project's shapes.

Nothing is written when the request is refused: an invalid or taken name, a
malformed column, an unknown table (exit 3, 5 and 4 as for every command).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Final

import typer

from app.scaffold.checkout import Checkout
from app.scaffold.columns import SPEC_HELP
from app.scaffold.errors import RefusalKind, ScaffoldRefusedError
from app.scaffold.plan import Plan
from app.scaffold.table import TableRequest, plan_table
from app.scaffold.trigger import TriggerRequest, plan_trigger
from app.terminal import ExitCode

scaffold_app = typer.Typer(
    help="Generate a new table or trigger, complete with what the checker and tests demand.",
    no_args_is_help=True,
)

EXIT_CODES: Final[dict[RefusalKind, ExitCode]] = {
    "invalid": ExitCode.INVALID_INPUT,
    "exists": ExitCode.CONFLICT,
    "unknown": ExitCode.NOT_FOUND,
    "broken": ExitCode.FAILURE,
}

_Planner = Callable[[Checkout], Plan]

RepositoryOption = Annotated[
    Path | None,
    typer.Option(
        "--repository",
        help="The Strata checkout to generate into (default: the one containing the current "
        "directory).",
    ),
]


@scaffold_app.command("table")
def table(
    name: Annotated[str, typer.Argument(help="The table: plural, lowercase snake_case.")],
    column: Annotated[
        list[str] | None,
        typer.Option("--column", "-c", help=f"A column, repeatable: {SPEC_HELP}."),
    ] = None,
    entity: Annotated[
        str | None,
        typer.Option(help="The class of one row (PascalCase); default: the table's singular."),
    ] = None,
    repository: RepositoryOption = None,
) -> None:
    """A new table: schema, revision, core entity and port, row schema, factory,
    repository wired into the unit of work, pgTAP structure suite and integration test."""
    _generate(
        repository,
        lambda checkout: plan_table(checkout, TableRequest(name, column or [], entity), _today()),
        f"table {name}",
    )


@scaffold_app.command("trigger")
def trigger(
    name: Annotated[str, typer.Argument(help="The trigger function, lowercase snake_case.")],
    table_name: Annotated[str, typer.Option("--table", help="The table it fires on.")],
    when: Annotated[str, typer.Option(help="BEFORE or AFTER.")],
    events: Annotated[str, typer.Option(help="Comma-separated: INSERT, UPDATE, DELETE.")],
    repository: RepositoryOption = None,
) -> None:
    """A new row trigger: a revision creating the function and the trigger
    `<table>_<name>`, and a pgTAP suite that fails, saying what to write, until written."""
    _generate(
        repository,
        lambda checkout: plan_trigger(
            checkout, TriggerRequest(name, table_name, when, events), _today()
        ),
        f"trigger function {name}",
    )


def _generate(repository: Path | None, make: _Planner, what: str) -> None:
    try:
        checkout = Checkout.containing(repository or Path.cwd())
        plan = make(checkout)
        plan.write(checkout.root)
    except ScaffoldRefusedError as refused:
        typer.echo(f"strata: scaffold: {refused} (nothing was written)", err=True)
        raise typer.Exit(EXIT_CODES[refused.kind]) from None
    typer.echo(f"scaffolded {what}:")
    for change in plan.changes:
        typer.echo(f"  {'created' if change.created else 'edited '} {change.path}")


def _today() -> date:
    return datetime.now(UTC).date()
