"""The end-to-end demo run by `scripts/demo`."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from devservers.suite import console
from infra.db.schema import metadata


def print_row_counts(runtime_url: str) -> None:
    """Show every table with its row count, read as the runtime role."""
    engine = create_engine(runtime_url, poolclass=NullPool)
    table = Table(title="tables (read as the runtime role)")
    table.add_column("table")
    table.add_column("rows", justify="right")
    with engine.connect() as connection:
        for db_table in metadata.sorted_tables:
            count = connection.execute(select(func.count()).select_from(db_table)).scalar_one()
            table.add_row(db_table.name, str(count))
    engine.dispose()
    console.print(table)


def run_demo(environment: Mapping[str, str], temporal_ui_url: str | None) -> None:
    console.rule("[bold]demo")
    print_row_counts(environment["DATABASE_URL"])
