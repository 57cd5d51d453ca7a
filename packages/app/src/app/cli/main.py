"""`strata`: the application's command line."""

from __future__ import annotations

from typing import NoReturn

import typer

from app.cli.db import db_app
from app.cli.errors import run_guarded
from app.cli.retention import retention_app
from app.cli.worker import worker

app = typer.Typer(
    name="strata",
    help="Operate a Strata application: database schema, retention pruning, worker.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app, name="db")
app.add_typer(retention_app, name="retention")
app.command("worker")(worker)


def main() -> NoReturn:
    run_guarded(app)
