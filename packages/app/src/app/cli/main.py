"""`strata`: the application's command line, one sub-command group per feature."""

from __future__ import annotations

from typing import NoReturn

import typer

from app.cli.db import db_app
from app.cli.worker import worker
from app.invitations.cli import invitations_app
from app.mail.cli import mail_app
from app.organizations.cli import org_app
from app.outbox.cli import outbox_app
from app.retention.cli import retention_app
from app.scaffold.cli import scaffold_app
from app.terminal import run_guarded

app = typer.Typer(
    name="strata",
    help="Operate a Strata application: database schema, organizations and invitations, "
    "retention pruning, the domain-event outbox, worker, scaffolding new tables and triggers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(invitations_app, name="invitations")
app.add_typer(retention_app, name="retention")
app.add_typer(mail_app, name="mail")
app.add_typer(outbox_app, name="outbox")
app.add_typer(scaffold_app, name="scaffold")
app.command("worker")(worker)


def main() -> NoReturn:
    run_guarded(app)
