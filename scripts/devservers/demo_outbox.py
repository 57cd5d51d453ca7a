"""The demo's delivery steps: what the relay did with the events the CLI wrote.

The invitation email is read back from the SMTP capture server and its
Message-ID checked against the `invitation.sent` event's id; the relay is
awaited until nothing is pending or processing; the trial the onboarding child
workflow started is shown; after the retention run, `domain_events` is checked
to hold nothing retention could not prune in time.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from rich.table import Table
from sqlalchemy import Row, create_engine, func, select
from sqlalchemy.pool import NullPool

from devservers.smtp import CapturedEmail, EmbeddedSmtp
from devservers.suite import StepFailedError, console, strata_captured
from infra.db.retention.targets import RETENTION_DEFAULTS
from infra.db.schema import domain_events, organization_trials, processed_events

T = TypeVar("T")

# Generous for a loaded machine: the relay picks a committed event up in well under a second.
DELIVERY_TIMEOUT = 60.0
POLL_INTERVAL = 0.25
ONBOARDING_CONSUMER = "organization-onboarding"
COMPLETED = ("published", "failed")
# What `strata outbox show` tells about the invitation's event that the demo is about.
EVENT_FIELDS = ("id", "event_type", "aggregate_id", "status", "attempts", "occurred_at",
                "published_at")  # fmt: skip


def wait_for(probe: Callable[[], T | None], timeout: float = DELIVERY_TIMEOUT) -> T | None:
    """Call `probe` until it returns something, or None once `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found is not None or time.monotonic() >= deadline:
            return found
        time.sleep(POLL_INTERVAL)


def event_id_of(runtime_url: str, event_type: str, aggregate_id: UUID) -> UUID:
    """The id of the one `event_type` event the CLI appended for this aggregate."""
    query = select(domain_events.c.id).where(
        domain_events.c.event_type == event_type, domain_events.c.aggregate_id == aggregate_id
    )
    engine = create_engine(runtime_url, poolclass=NullPool)
    with engine.connect() as connection:
        event_id: UUID = connection.execute(query).scalar_one()
    engine.dispose()
    return event_id


def show_invitation_email(
    environment: Mapping[str, str], mail: EmbeddedSmtp | None, invitation: Mapping[str, Any]
) -> None:
    """Print the invitation email as the SMTP server received it; fail unless it arrives in
    time with the Message-ID the `invitation.sent` event's id gives it."""
    title = "the invitation email the relay sent (strata worker)"
    console.rule(f"[bold]{title}")
    event_id = event_id_of(
        environment["DATABASE_URL"], "invitation.sent", UUID(str(invitation["invitation_id"]))
    )
    sender = environment.get("SMTP_FROM") or os.environ.get("SMTP_FROM", "")
    expected = f"<{event_id}@{sender.rpartition('@')[2]}>"
    if mail is None:
        console.print(
            f"SMTP_HOST is set: the email went to your server; look there for Message-ID "
            f"{expected}",
            soft_wrap=True,
        )
    else:
        _check_captured(mail, str(invitation["email"]), event_id, expected)
    _wait_until_published(environment, event_id)


def _check_captured(mail: EmbeddedSmtp, recipient: str, event_id: UUID, expected: str) -> None:
    title = "the invitation email at the SMTP capture server"
    email = wait_for(lambda: _first_to(mail.captured(), recipient))
    if email is None:
        console.print(
            f"[red]no email to {recipient} reached the SMTP capture server within "
            f"{DELIVERY_TIMEOUT:.0f}s[/red]; see `strata outbox show {event_id}` and the "
            "worker's log",
            soft_wrap=True,
        )
        raise StepFailedError(title, 1)
    console.print(f"as the SMTP capture server received it ({mail.host}:{mail.port}):")
    _print_email(email)
    if email.message_id != expected:
        console.print(f"[red]its Message-ID should be {expected}[/red]")
        raise StepFailedError(title, 1)
    console.print(
        f"[green]Message-ID {email.message_id} is the invitation.sent event's id[/green]",
        soft_wrap=True,
    )


def _first_to(emails: list[CapturedEmail], recipient: str) -> CapturedEmail | None:
    return next((email for email in emails if email.to == recipient), None)


def _print_email(email: CapturedEmail) -> None:
    for name, value in (
        ("From", email.sender),
        ("To", email.to),
        ("Subject", email.subject),
        ("Message-ID", email.message_id),
    ):
        console.print(f"{name + ':':<12}{value}", soft_wrap=True)
    console.print()
    console.print(email.body, soft_wrap=True)


def _wait_until_published(environment: Mapping[str, str], event_id: UUID) -> None:
    # The handler sends, then the relay records the outcome: a moment apart.
    title = "the invitation.sent event (strata outbox show)"
    arguments = ["outbox", "show", str(event_id)]
    event = poll_strata(title, arguments, environment, EVENT_FIELDS, status="published")
    took = datetime.fromisoformat(event["published_at"]) - datetime.fromisoformat(
        event["occurred_at"]
    )
    console.print(
        f"published {took.total_seconds():.2f}s after it occurred: the relay wakes on the "
        "notification its commit sent",
        soft_wrap=True,
    )


def wait_until_delivered(environment: Mapping[str, str]) -> None:
    """Poll `strata outbox status` until nothing is pending or processing; fail if it lasts."""
    title = "every event delivered (strata outbox status)"
    poll_strata(title, ["outbox", "status"], environment, pending=0, processing=0)


def poll_strata(
    title: str,
    arguments: list[str],
    environment: Mapping[str, str],
    fields: tuple[str, ...] = (),
    **expected: object,
) -> dict[str, Any]:
    """Run `strata … --json` until its output has the `expected` values, and return it; show
    the last output (only `fields`, when given), and fail if they did not come in time."""
    last: dict[str, Any] = {}

    def probe() -> dict[str, Any] | None:
        nonlocal last
        last = _strata_json_quietly(title, arguments, environment)
        matches = all(last.get(name) == value for name, value in expected.items())
        return last if matches else None

    found = wait_for(probe)
    console.rule(f"[bold]{title}")
    shown = {name: last.get(name) for name in fields} if fields else last
    console.print(json.dumps(shown, indent=2), soft_wrap=True)
    if found is None:
        wanted = ", ".join(f"{name} {value}" for name, value in expected.items())
        console.print(f"[red]still not {wanted} after {DELIVERY_TIMEOUT:.0f}s[/red]")
        raise StepFailedError(title, 1)
    return found


def _strata_json_quietly(
    title: str, arguments: list[str], environment: Mapping[str, str]
) -> dict[str, Any]:
    result = strata_captured([*arguments, "--json"], environment)
    if result.returncode != 0:
        console.rule(f"[bold]{title}")
        console.print(result.stderr.strip(), soft_wrap=True)
        raise StepFailedError(title, result.returncode)
    decoded: dict[str, Any] = json.loads(result.stdout)
    return decoded


def show_trial(runtime_url: str, organization_id: UUID) -> None:
    """Print the trial the onboarding child workflow started, and its processed-event record."""
    title = "the trial the onboarding child workflow started (organization_trials)"
    console.rule(f"[bold]{title}")
    event_id = event_id_of(runtime_url, "organization.created", organization_id)
    engine = create_engine(runtime_url, poolclass=NullPool)
    trial = wait_for(lambda: _trial_of(engine, organization_id))
    with engine.connect() as connection:
        record = connection.execute(
            select(processed_events.c.processed_at).where(
                processed_events.c.consumer == ONBOARDING_CONSUMER,
                processed_events.c.event_id == event_id,
            )
        ).one_or_none()
    engine.dispose()
    if trial is None or record is None:
        console.print(f"[red]no trial for organization {organization_id}[/red]")
        raise StepFailedError(title, 1)
    console.print(
        f"organization {organization_id}: trial from {trial.started_at:%Y-%m-%d %H:%M:%S} "
        f"to {trial.ends_at:%Y-%m-%d %H:%M:%S} UTC ({(trial.ends_at - trial.started_at).days} "
        "days)",
        soft_wrap=True,
    )
    console.print(
        f"once per event: processed_events holds ({ONBOARDING_CONSUMER!r}, {event_id}), the "
        "organization.created event's id, written with the trial",
        soft_wrap=True,
    )


def _trial_of(engine: Any, organization_id: UUID) -> Row[Any] | None:
    query = select(organization_trials.c.started_at, organization_trials.c.ends_at).where(
        organization_trials.c.organization_id == organization_id
    )
    with engine.connect() as connection:
        found: Row[Any] | None = connection.execute(query).one_or_none()
    return found


def domain_events_cutoff() -> datetime:
    """The demo's retention cutoff for completed events (it runs with the defaults)."""
    return datetime.now(UTC) - timedelta(days=RETENTION_DEFAULTS["domain_events"].retention_days)


def print_event_statuses(runtime_url: str, title: str) -> dict[str, tuple[int, int]]:
    """Show `domain_events` per status, with how many completed before the cutoff; return both
    counts by status."""
    completed_at = func.coalesce(domain_events.c.published_at, domain_events.c.failed_at)
    query = (
        select(
            domain_events.c.status,
            func.count(),
            func.count().filter(completed_at < domain_events_cutoff()),
        )
        .group_by(domain_events.c.status)
        .order_by(domain_events.c.status)
    )
    engine = create_engine(runtime_url, poolclass=NullPool)
    with engine.connect() as connection:
        counts = {str(status): (total, old) for status, total, old in connection.execute(query)}
    engine.dispose()
    days = RETENTION_DEFAULTS["domain_events"].retention_days
    table = Table(title=title)
    table.add_column("status")
    table.add_column("events", justify="right")
    table.add_column(f"completed over {days} days ago", justify="right")
    for status, (total, old) in counts.items():
        table.add_row(status, str(total), str(old) if status in COMPLETED else "-")
    console.print(table)
    return counts


def check_events_bounded(counts: Mapping[str, tuple[int, int]]) -> None:
    """Fail unless every event left is completed, and completed within the retention window:
    then the next runs prune each of them in its turn, and the table cannot only grow."""
    waiting = sum(total for status, (total, _) in counts.items() if status not in COMPLETED)
    overdue = sum(old for status, (_, old) in counts.items() if status in COMPLETED)
    if waiting or overdue:
        console.print(
            f"[red]domain_events keeps {waiting} undelivered and {overdue} overdue event(s)[/red]"
        )
        raise StepFailedError("domain_events bounded", 1)
    console.print(
        "[green]domain_events is bounded: every event is delivered (the seed's pending and "
        "processing ones too), and none completed before the cutoff is left[/green]",
        soft_wrap=True,
    )
