"""The retention schedule: created or updated idempotently from settings, and operated by id."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleDescription,
    ScheduleHandle,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.service import RPCError, RPCStatusCode

from app.errors import OperatorError
from app.retention.contract import RetentionPruneInput
from app.retention.workflow import RetentionPruneWorkflow
from app.settings import TemporalSettings


class EnsureOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"


@dataclass(frozen=True)
class ScheduleView:
    """What `schedule describe` shows."""

    schedule_id: str
    spec: str
    paused: bool
    note: str | None
    overlap: str
    catchup_window_seconds: float
    task_queue: str
    runs_started: int
    recent_runs: list[str]
    next_runs: list[datetime]


def desired_schedule(settings: TemporalSettings) -> Schedule:
    """The schedule the settings describe; `ensure` makes the server's copy match it."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            RetentionPruneWorkflow.run,
            RetentionPruneInput(batch_size=settings.prune_batch_size),
            id=f"{settings.schedule_id}-run",
            task_queue=settings.task_queue,
            execution_timeout=settings.run_timeout,
        ),
        spec=_spec(settings),
        # A run still pruning when the next one is due makes the next one pointless.
        policy=SchedulePolicy(
            overlap=ScheduleOverlapPolicy.SKIP, catchup_window=settings.schedule_catchup_window
        ),
        state=ScheduleState(note="managed by `strata retention schedule ensure`"),
    )


def _spec(settings: TemporalSettings) -> ScheduleSpec:
    if settings.schedule_cron:
        return ScheduleSpec(cron_expressions=[settings.schedule_cron])
    return ScheduleSpec(intervals=[ScheduleIntervalSpec(every=settings.schedule_interval)])


async def ensure_schedule(client: Client, settings: TemporalSettings) -> EnsureOutcome:
    """Create the schedule, or bring an existing one in line with the settings.

    An operator's pause (and its note) survives an update; everything else is
    replaced by what the settings say.
    """
    desired = desired_schedule(settings)

    def keep_state(current: ScheduleUpdateInput) -> ScheduleUpdate:
        return ScheduleUpdate(schedule=replace(desired, state=current.description.schedule.state))

    try:
        await client.create_schedule(settings.schedule_id, desired)
    except ScheduleAlreadyRunningError:
        await _handle(client, settings).update(keep_state)
        return EnsureOutcome.UPDATED
    return EnsureOutcome.CREATED


async def describe_schedule(client: Client, settings: TemporalSettings) -> ScheduleView:
    description = await _describe(client, settings)
    return _view(settings.schedule_id, description)


async def pause_schedule(client: Client, settings: TemporalSettings, note: str) -> None:
    await (await _existing(client, settings)).pause(note=note)


async def unpause_schedule(client: Client, settings: TemporalSettings, note: str) -> None:
    await (await _existing(client, settings)).unpause(note=note)


async def trigger_schedule(client: Client, settings: TemporalSettings) -> None:
    """Start one run now; skipped by the overlap policy if a run is still going."""
    await (await _existing(client, settings)).trigger(overlap=ScheduleOverlapPolicy.SKIP)


def _handle(client: Client, settings: TemporalSettings) -> ScheduleHandle:
    return client.get_schedule_handle(settings.schedule_id)


async def _existing(client: Client, settings: TemporalSettings) -> ScheduleHandle:
    """The schedule's handle, after one clear error if it does not exist."""
    await _describe(client, settings)
    return _handle(client, settings)


async def _describe(client: Client, settings: TemporalSettings) -> ScheduleDescription:
    try:
        return await _handle(client, settings).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise OperatorError(
                f"schedule {settings.schedule_id!r} does not exist in namespace "
                f"{settings.namespace!r}; create it with `strata retention schedule ensure`"
            ) from error
        raise


def _view(schedule_id: str, description: ScheduleDescription) -> ScheduleView:
    schedule = description.schedule
    action = schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    return ScheduleView(
        schedule_id=schedule_id,
        spec=_describe_spec(schedule.spec),
        paused=schedule.state.paused,
        note=schedule.state.note,
        overlap=schedule.policy.overlap.name,
        catchup_window_seconds=(schedule.policy.catchup_window or timedelta()).total_seconds(),
        task_queue=action.task_queue,
        runs_started=description.info.num_actions,
        recent_runs=[
            getattr(run.action, "workflow_id", "?") for run in description.info.recent_actions
        ],
        next_runs=list(description.info.next_action_times),
    )


def _describe_spec(spec: ScheduleSpec) -> str:
    parts = [f"every {interval.every}" for interval in spec.intervals]
    parts += [f"cron {cron}" for cron in spec.cron_expressions]
    # The server stores cron strings as calendars; the next run times show them.
    parts += [f"{len(spec.calendars)} calendar spec(s)"] if spec.calendars else []
    return ", ".join(parts) or "(no times)"
