"""What the workflow tests share: an in-process worker, runs, and reading back what survived."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Table, select
from temporalio.client import Client, WorkflowHandle

from app import bootstrap
from app.outbox.handlers import EventHandler
from app.outbox.registry import EVENT_HANDLERS
from app.retention.contract import RetentionPruneInput
from app.retention.workflow import RetentionPruneWorkflow
from app.settings import OutboxSettings, TemporalSettings
from app.worker import build_worker
from core.retention.plan import RetentionRunSummary
from core.retention.policy import RETENTION_SETTING_KEY
from core.retention.ports import RetentionTarget
from infra.db.env import DatabaseSettings
from infra.db.schema import retention_prune_batches, system_settings
from infra.mail.settings import SmtpSettings

TargetsWrapper = Callable[[Mapping[str, RetentionTarget]], Mapping[str, RetentionTarget]]


@dataclass(frozen=True)
class RetentionStack:
    """One test's servers: environment variables for `strata`, and the scratch owner engine."""

    environment: dict[str, str]
    owner: Engine

    @property
    def temporal_settings(self) -> TemporalSettings:
        return TemporalSettings.model_validate(self.environment)

    @property
    def database_settings(self) -> DatabaseSettings:
        return DatabaseSettings.model_validate(self.environment)

    @property
    def task_queue(self) -> str:
        return self.temporal_settings.task_queue

    async def client(self) -> Client:
        return await bootstrap.connect_temporal(self.temporal_settings)

    def with_environment(self, **variables: str) -> RetentionStack:
        """The same servers, with these variables set on top (outbox or SMTP settings, say)."""
        return dataclasses.replace(self, environment={**self.environment, **variables})

    def with_relay(self, **settings: str) -> RetentionStack:
        """A relay of this test's own (its workflow id), quick to go idle and to return its
        calls, with these OUTBOX_* settings on top."""
        return self.with_environment(
            OUTBOX_WORKFLOW_ID=f"strata-test-relay-{uuid.uuid4()}",
            OUTBOX_IDLE_POLL="1",
            OUTBOX_CALL_BUDGET="5",
            **settings,
        )

    @property
    def outbox_settings(self) -> OutboxSettings:
        return OutboxSettings.model_validate(self.environment)

    @property
    def smtp_settings(self) -> SmtpSettings | None:
        if "SMTP_HOST" not in self.environment:
            return None
        return SmtpSettings.model_validate(self.environment)

    @asynccontextmanager
    async def worker(
        self,
        client: Client,
        targets: TargetsWrapper | None = None,
        handlers: Mapping[str, EventHandler] = EVENT_HANDLERS,
    ) -> AsyncIterator[None]:
        """The worker of `strata worker`, in process, on the composition root's ports
        (with its retention targets passed through `targets`, and the relay's handlers
        replaced by `handlers`, when given)."""
        settings = self.temporal_settings
        with (
            bootstrap.ports(self.database_settings, self.smtp_settings) as wired,
            ThreadPoolExecutor(settings.activity_threads) as executor,
        ):
            ports = wired
            if targets is not None:
                ports = dataclasses.replace(
                    wired, retention_targets=targets(wired.retention_targets)
                )
            async with build_worker(
                client,
                self.task_queue,
                ports,
                executor,
                settings,
                outbox=self.outbox_settings,
                handlers=handlers,
            ):
                yield

    async def start(self, client: Client, **options: Any) -> WorkflowHandle[Any, Any]:
        return await client.start_workflow(
            RetentionPruneWorkflow.run,
            RetentionPruneInput(**options),
            id=f"strata-test-run-{uuid.uuid4()}",
            task_queue=self.task_queue,
        )

    async def run(self, **options: Any) -> RetentionRunSummary:
        """Start a run with these workflow options on an in-process worker and wait for it."""
        client = await self.client()
        async with self.worker(client):
            handle = await self.start(client, **options)
            summary: RetentionRunSummary = await handle.result()
            return summary

    def set_retention(self, value: object) -> None:
        with self.owner.begin() as connection:
            key = system_settings.c.key
            connection.execute(system_settings.delete().where(key == RETENTION_SETTING_KEY))
            connection.execute(
                system_settings.insert().values(key=RETENTION_SETTING_KEY, value=value)
            )

    def ids(self, table: Table) -> set[UUID]:
        with self.owner.connect() as connection:
            return set(connection.execute(select(table.c.id)).scalars())

    def ledger(self, run_key: str | None = None) -> list[tuple[str, int]]:
        """(target, rows deleted) of every batch the run (or any run) recorded, oldest first."""
        ledger = retention_prune_batches.c
        statement = select(ledger.target, ledger.rows_deleted).order_by(
            ledger.recorded_at, ledger.id
        )
        if run_key is not None:
            statement = statement.where(ledger.run_key == run_key)
        with self.owner.connect() as connection:
            return [(target, rows) for target, rows in connection.execute(statement)]
