"""The end-to-end demo run by `scripts/demo`: seed, run the CLI's use cases with the outbox
relay delivering their events (an email, a child workflow), then prune and show what is left."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from rich.table import Table
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from app.terminal import ExitCode
from devservers.demo_outbox import (
    check_events_bounded,
    print_event_statuses,
    show_invitation_email,
    show_trial,
    wait_until_delivered,
)
from devservers.retention_seed import PRUNABLE_TABLES, SeededRows, seed_retention_sample
from devservers.smtp import EmbeddedSmtp
from devservers.suite import (
    StepFailedError,
    console,
    run_step,
    strata,
    strata_captured,
    strata_json,
)
from devservers.worker_process import StrataWorker
from infra.db.retention.targets import RETENTION_DEFAULTS
from infra.db.schema import metadata

# Far enough from the cutoffs that the run, a few seconds later, sees the same sides.
MARGIN = timedelta(hours=1)
ROWS_PER_SIDE = 5


def print_row_counts(runtime_url: str, title: str) -> None:
    """Show every table with its row count, read as the runtime role."""
    engine = create_engine(runtime_url, poolclass=NullPool)
    table = Table(title=title)
    table.add_column("table")
    table.add_column("rows", justify="right")
    with engine.connect() as connection:
        for db_table in metadata.sorted_tables:
            count = connection.execute(select(func.count()).select_from(db_table)).scalar_one()
            table.add_row(db_table.name, str(count))
    engine.dispose()
    console.print(table)


def seed_sample_data(owner_url: str) -> SeededRows:
    """Rows an hour on each side of every default cutoff, plus rows that are never pruned."""
    days = {name: rule.retention_days for name, rule in RETENTION_DEFAULTS.items()}
    engine = create_engine(owner_url, poolclass=NullPool)
    with engine.begin() as connection:
        seeded = seed_retention_sample(
            connection, datetime.now(UTC), days, per_side=ROWS_PER_SIDE, margin=MARGIN
        )
    engine.dispose()
    for name in days:
        console.print(
            f"{name}: {len(seeded.expired[name])} expired, "
            f"{len(seeded.kept[name])} to keep (newer, or pending)"
        )
    return seeded


def check_survivors(owner_url: str, seeded: SeededRows) -> None:
    """Compare what is left of the seeded rows with what the seed said must be left; fail the
    demo if not. Only seeded rows count: the run itself adds retention-ledger entries."""
    engine = create_engine(owner_url, poolclass=NullPool)
    with engine.connect() as connection:
        left = {
            name: set(connection.execute(select(table.c.id)).scalars()) & seeded.all_ids(name)
            for name, table in PRUNABLE_TABLES.items()
        }
    engine.dispose()
    wrong = [name for name in PRUNABLE_TABLES if left[name] != seeded.kept[name]]
    if wrong:
        console.print(f"[red]unexpected survivors in {', '.join(wrong)}[/red]")
        raise StepFailedError("survivor check", 1)
    console.print("[green]survivors are exactly the rows that had to stay[/green]")


@dataclass(frozen=True)
class UseCaseResults:
    """What the demo's commands printed that the delivery steps look for."""

    organization_id: UUID
    invitation: dict[str, Any]


def run_use_cases(environment: Mapping[str, str]) -> UseCaseResults:
    """The path from a command to the database: an organization, an invitation sent and
    accepted (a user), one revoked, and the one-line refusal of accepting it."""
    organization = strata_json(
        "create an organization (strata org create)",
        ["org", "create", "Demo Corp", "--billing-email", "billing@demo.example"],
        environment,
    )
    organization_id = str(organization["organization_id"])
    sent = strata_json(
        "invite someone (strata invitations send)",
        ["invitations", "send", organization_id, "ada@demo.example", "--role", "admin"],
        environment,
    )
    strata_json(
        "accept the invitation (strata invitations accept)",
        ["invitations", "accept", str(sent["token"]), "--display-name", "Ada"],
        environment,
    )
    revoked = strata_json(
        "invite someone else (strata invitations send)",
        ["invitations", "send", organization_id, "grace@demo.example"],
        environment,
    )
    strata_json(
        "revoke (strata invitations revoke)",
        ["invitations", "revoke", str(revoked["invitation_id"])],
        environment,
    )
    title = "accepting a revoked invitation is refused in one line"
    console.rule(f"[bold]{title}")
    refused = strata_captured(
        ["invitations", "accept", str(revoked["token"]), "--display-name", "Grace"], environment
    )
    console.print(f"{refused.stderr.strip()} (exit code {refused.returncode})", soft_wrap=True)
    if refused.returncode != ExitCode.INVITATION_NOT_PENDING:
        raise StepFailedError(title, refused.returncode or 1)
    return UseCaseResults(UUID(organization_id), sent)


def run_demo(
    environment: Mapping[str, str], temporal_ui_url: str | None, mail: EmbeddedSmtp | None
) -> None:
    runtime_url = environment["DATABASE_URL"]
    console.rule("[bold]seed sample data (factories)")
    seeded = seed_sample_data(environment["MIGRATION_DATABASE_URL"])
    print_row_counts(runtime_url, "before the demo (read as the runtime role)")
    print_event_statuses(runtime_url, "domain_events before the demo")
    console.rule("[bold]worker (strata worker)")
    with StrataWorker(environment) as worker:
        console.print(f"worker polling; its log: {worker.log_path}")
        run_step("start the outbox relay (strata outbox ensure)",
                 strata("outbox", "ensure"), environment)  # fmt: skip
        used = run_use_cases(environment)
        show_invitation_email(environment, mail, used.invitation)
        wait_until_delivered(environment)
        show_trial(runtime_url, used.organization_id)
        run_step("schedule (strata retention schedule ensure)",
                 strata("retention", "schedule", "ensure"), environment)  # fmt: skip
        run_step("schedule (strata retention schedule describe)",
                 strata("retention", "schedule", "describe"), environment)  # fmt: skip
        run_step("prune now (strata retention run)", strata("retention", "run"), environment)
    console.print("worker stopped")
    print_row_counts(runtime_url, "after pruning (read as the runtime role)")
    check_survivors(environment["MIGRATION_DATABASE_URL"], seeded)
    check_events_bounded(print_event_statuses(runtime_url, "domain_events after pruning"))
    if temporal_ui_url:
        # The link above dies with the throw-away server; say so rather than surprise.
        console.print(
            f"the Temporal dev server and its UI ({temporal_ui_url}) stop now; to browse runs "
            "later, set TEMPORAL_ADDRESS (and TEMPORAL_UI_URL) to a server you keep running",
            soft_wrap=True,
        )
