"""`strata db …`: schema migrations and desired-state SQL."""

from __future__ import annotations

import typer
from rich.console import Console

from app import bootstrap

db_app = typer.Typer(
    help="Database schema: migrations and desired-state SQL.", no_args_is_help=True
)
schemas_app = typer.Typer(
    help="Desired-state SQL under packages/infra/db/schemas/.", no_args_is_help=True
)
db_app.add_typer(schemas_app, name="schemas")
console = Console()


@db_app.command("migrate")
def migrate() -> None:
    """Upgrade the database to the latest revision, as the migration owner."""
    bootstrap.migrate_database()
    console.print("[green]database migrated to head[/green]")


@schemas_app.command("generate")
def generate() -> None:
    """Write the desired-state SQL generated from code (retention defaults); no database needed."""
    path, changed = bootstrap.generate_desired_state()
    console.print(f"{'wrote' if changed else 'up to date:'} {path.name}")


@schemas_app.command("apply")
def apply() -> None:
    """Apply every desired-state SQL file (idempotent), as the migration owner."""
    applied = bootstrap.apply_desired_state()
    for path in applied:
        console.print(f"applied {path.name}")
    console.print(f"[green]{len(applied)} desired-state file(s) applied[/green]")
