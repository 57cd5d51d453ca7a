"""`python -m devservers`: the test suite or the demo against throw-away (or configured) servers.

Every server started here is stopped, and its files removed, on success,
failure, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import signal
import sys
import time
from contextlib import ExitStack
from types import FrameType
from typing import Annotated

import click
import typer

from devservers.bench.sizes import QUICK, Sizes
from devservers.pgtap import run_pgtap
from devservers.processes import ServerStartError
from devservers.stack import StackError, database_target, smtp_target, temporal_target
from devservers.suite import (
    StepFailedError,
    console,
    errors,
    prepare_database,
    run_quick_bench,
    run_step,
)

cli = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)


@cli.command("test", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def test(ctx: typer.Context) -> None:
    """Migrate a database, run pytest (extra arguments go to it), `bench --quick`, then pgTAP."""
    with database_target() as database, temporal_target() as temporal:
        environment = {**database.environment, **temporal.environment}
        prepare_database(environment)
        drift = [sys.executable, "-m", "invariants", "--select", "DB006"]
        run_step("schema drift (invariants DB006: migrations vs schema.py)", drift, environment)
        pytest = [sys.executable, "-m", "pytest", *ctx.args]
        run_step("pytest (unit, integration, workflows, migrations, invariants)", pytest,
                 environment)  # fmt: skip
        run_quick_bench(database, temporal.environment)
        run_pgtap(database)


@cli.command("pgtap", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def pgtap(ctx: typer.Context) -> None:
    """pg_prove over sql_tests/ in a fresh migrated database, then trigger coverage.

    Extra arguments go to pg_prove (e.g. --verbose).
    """
    with database_target() as database:
        run_pgtap(database, ctx.args)


@cli.command("demo")
def demo() -> None:
    """Start the servers, migrate, seed, deliver events through the outbox, prune, stop all."""
    from devservers.demo import run_demo  # noqa: PLC0415 - only the demo needs the app

    with (
        database_target() as database,
        temporal_target() as temporal,
        smtp_target() as smtp,
    ):
        environment = {**database.environment, **temporal.environment, **smtp.environment}
        prepare_database(environment)
        run_demo(environment, temporal.ui_url, smtp.capture)


@cli.command("bench")
def bench(  # noqa: PLR0917 - one option per size of DESIGN §12
    quick: Annotated[
        bool,
        typer.Option(help="Every row at a tiny size: proves the bench runs, measures nothing."),
    ] = False,
    append_events_per_writer: Annotated[int, typer.Option(min=1)] = Sizes.append_events_per_writer,
    decode_rows: Annotated[int, typer.Option(min=1)] = Sizes.decode_rows,
    linearity_small_backlog: Annotated[int, typer.Option(min=1)] = Sizes.linearity_small_backlog,
    linearity_large_backlog: Annotated[int, typer.Option(min=1)] = Sizes.linearity_large_backlog,
    linearity_pruned: Annotated[int, typer.Option(min=1)] = Sizes.linearity_pruned,
    bulk_backlog: Annotated[int, typer.Option(min=1)] = Sizes.bulk_backlog,
    bulk_pruned: Annotated[int, typer.Option(min=1)] = Sizes.bulk_pruned,
    workflow_rows: Annotated[int, typer.Option(min=1)] = Sizes.workflow_rows,
    workflow_rounds: Annotated[int, typer.Option(min=1)] = Sizes.workflow_rounds,
    checker_tables: Annotated[int, typer.Option(min=1)] = Sizes.checker_tables,
    outbox_events: Annotated[int, typer.Option(min=1)] = Sizes.outbox_events,
    outbox_latency_samples: Annotated[int, typer.Option(min=1)] = Sizes.outbox_latency_samples,
    outbox_idle_seconds: Annotated[float, typer.Option(min=1.0)] = Sizes.outbox_idle_seconds,
    allow_existing_database: Annotated[
        bool, typer.Option(help="Run on DATABASE_URL's database although it empties tables.")
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option(help="Only the rows whose name contains this text (repeatable)."),
    ] = None,
) -> None:
    """Measure every figure of DESIGN §12 side by side; print one table and `bench: K/N ...`.

    Exits non-zero only when a row crashed: the tally reports goals, it does not enforce them.
    """
    from devservers.bench.rows import selected_rows  # noqa: PLC0415 - only the bench needs the app
    from devservers.bench.run import run_bench  # noqa: PLC0415 - only the bench needs the app

    chosen = tuple(only or ())
    try:
        selected_rows(chosen)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--only") from error

    sizes = (
        QUICK
        if quick
        else Sizes(
            append_events_per_writer=append_events_per_writer,
            decode_rows=decode_rows,
            linearity_small_backlog=linearity_small_backlog,
            linearity_large_backlog=linearity_large_backlog,
            linearity_pruned=linearity_pruned,
            bulk_backlog=bulk_backlog,
            bulk_pruned=bulk_pruned,
            workflow_rows=workflow_rows,
            workflow_rounds=workflow_rounds,
            checker_tables=checker_tables,
            outbox_events=outbox_events,
            outbox_latency_samples=outbox_latency_samples,
            outbox_idle_seconds=outbox_idle_seconds,
        )
    )
    with database_target() as database, temporal_target() as temporal:
        if database.embedded is None and not allow_existing_database:
            raise StackError(
                "the bench empties every prunable table: run it on a throw-away cluster "
                "(unset DATABASE_URL) or pass --allow-existing-database"
            )
        environment = {**database.environment, **temporal.environment}
        prepare_database(environment)
        if not run_bench(environment, sizes, chosen):
            raise SystemExit(1)


@cli.command("run", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def run(
    ctx: typer.Context,
    temporal: Annotated[bool, typer.Option(help="Also start a Temporal dev server.")] = False,
    smtp: Annotated[
        bool, typer.Option(help="Also start an SMTP server that keeps (then discards) all mail.")
    ] = False,
) -> None:
    """Run any command against a migrated throw-away database: `run -- psql`."""
    with database_target() as database, ExitStack() as servers:
        environment = dict(database.environment)
        prepare_database(environment)
        if temporal:
            environment |= servers.enter_context(temporal_target()).environment
        if smtp:
            environment |= servers.enter_context(smtp_target()).environment
        run_step(" ".join(ctx.args), ctx.args, environment)


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Turns SIGTERM into an exception so every context manager stops its server.
    raise SystemExit(128 + signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    started = time.monotonic()
    code = _exit_code_of_cli()
    console.print(f"wall time: {time.monotonic() - started:.1f}s")
    sys.exit(code)


def _exit_code_of_cli() -> int:
    try:
        returned = cli(standalone_mode=False)
    except (StackError, ServerStartError) as error:
        errors.print(f"[red]error:[/red] {error}", soft_wrap=True)
        return 2
    except StepFailedError as error:
        errors.print(f"[red]{error}[/red]", soft_wrap=True)
        return error.returncode
    # click turns Ctrl-C into Abort; the servers are already stopped by then.
    except (KeyboardInterrupt, click.exceptions.Abort):
        errors.print("[yellow]interrupted; servers stopped[/yellow]")
        return 130
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    except click.ClickException as error:
        error.show()
        return 2
    # Without standalone mode click returns the exit code of an explicit ctx.exit.
    return returned if isinstance(returned, int) else 0


if __name__ == "__main__":
    main()
