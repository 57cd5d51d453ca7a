"""`strata outbox …`: start the relay, how delivery stands, one event's state, an operator's retry.

Each command reads or writes in one transaction as the runtime role; times are
the database's, so an age means the same to every worker and operator.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

import typer

from app import bootstrap
from app.outbox.relay import ensure_relay
from app.settings import OutboxSettings, TemporalSettings
from app.temporal_calls import with_temporal
from app.terminal import show, value_of
from core.domains.domain_events.dead_letters import retry_dead_letter
from core.domains.domain_events.entities import OutboxStatus, StoredDomainEvent
from core.json import JsonObject

outbox_app = typer.Typer(
    help="The domain-event outbox: delivery states, dead letters, operator retries.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@outbox_app.command("ensure")
def ensure(as_json: JsonOption = False) -> None:
    """Start the relay workflow unless it runs already (idempotent; `strata worker` runs it)."""
    temporal, outbox = TemporalSettings(), OutboxSettings()
    started = with_temporal(
        temporal,
        lambda client: ensure_relay(client, temporal, outbox),
        "interrupted; the relay, if it was started, runs on the Temporal server",
    )
    queue = outbox.queue(temporal.task_queue)
    state = "started" if started else "already running"
    show(
        f"outbox relay {outbox.workflow_id!r} {state} (task queue {queue!r})",
        {"workflow_id": outbox.workflow_id, "started": started, "task_queue": queue},
        as_json=as_json,
    )


@outbox_app.command("status")
def status(as_json: JsonOption = False) -> None:
    """Events per delivery status, dead letters, and how long the next deliverable one waits."""
    current = value_of(bootstrap.run_outbox(lambda outbox: outbox.status()))
    data = _status(current)
    show(_status_text(current), data, as_json=as_json)


@outbox_app.command("show")
def show_event(
    event_id: Annotated[UUID, typer.Argument(help="The domain event's id.")],
    as_json: JsonOption = False,
) -> None:
    """One event's delivery state: status, attempts, when it is due, its lease, its errors."""
    event = value_of(bootstrap.run_outbox(lambda outbox: outbox.get(event_id)))
    data = _event(event)
    show(_event_text(data), data, as_json=as_json)


@outbox_app.command("retry")
def retry(
    event_id: Annotated[
        UUID | None, typer.Argument(help="The dead letter (a failed event) to retry.")
    ] = None,
    all_failed: Annotated[
        bool, typer.Option("--all-failed", help="Retry every dead letter.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Make a dead letter (or every one) pending again, deliverable now."""
    if (event_id is None) != all_failed:
        raise typer.BadParameter("give either EVENT_ID or --all-failed, not both or neither")
    if event_id is None:
        retried = value_of(bootstrap.run_outbox(lambda outbox: outbox.retry_all_failed()))
        show(f"{retried} dead letter(s) pending again", {"retried": retried}, as_json=as_json)
        return
    event = value_of(bootstrap.run_outbox(lambda outbox: retry_dead_letter(outbox, event_id)))
    show(
        f"domain event {event.id} is pending again after {event.attempts} attempt(s)",
        _event(event),
        as_json=as_json,
    )


def _status(current: OutboxStatus) -> JsonObject:
    return {
        "pending": current.pending,
        "processing": current.processing,
        "published": current.published,
        "failed": current.failed,
        "dead_letters": current.dead_letters,
        "oldest_deliverable_age_seconds": _seconds(current.oldest_deliverable_age),
    }


def _status_text(current: OutboxStatus) -> str:
    age = current.oldest_deliverable_age
    waiting = "none" if age is None else f"waiting {_seconds(age)} s"
    return "\n".join(
        [
            f"pending     {current.pending}",
            f"processing  {current.processing}",
            f"published   {current.published}",
            f"failed      {current.failed} (dead letters: {current.dead_letters})",
            f"oldest deliverable event: {waiting}",
        ]
    )


def _event(event: StoredDomainEvent) -> JsonObject:
    payload: JsonObject = json.loads(json.dumps(asdict(event.payload), default=_json_value))
    return {
        "id": str(event.id),
        "event_type": event.event_type,
        "aggregate_type": event.aggregate_type,
        "aggregate_id": str(event.aggregate_id),
        "sequence_number": event.sequence_number,
        "status": event.status,
        "attempts": event.attempts,
        "occurred_at": event.occurred_at.isoformat(),
        "available_at": event.available_at.isoformat(),
        "locked_until": _time(event.locked_until),
        "last_error": event.last_error,
        "published_at": _time(event.published_at),
        "failed_at": _time(event.failed_at),
        "failure_reason": event.failure_reason,
        "payload": payload,
    }


def _event_text(data: JsonObject) -> str:
    return "\n".join(
        f"{name:<16}{json.dumps(value) if name == 'payload' else _blank(value)}"
        for name, value in data.items()
    )


def _json_value(value: object) -> str:
    # As the payload is stored: times in ISO 8601, UUIDs (and other values) as their text.
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _blank(value: object) -> str:
    return "-" if value is None else str(value)


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _seconds(age: timedelta | None) -> float | None:
    return None if age is None else round(age.total_seconds(), 3)
