"""The relay with its real handlers: invitation emails through a real SMTP server (aiosmtpd),
onboarding child workflows writing trials; under concurrent writers, a killed worker and a
restarted PostgreSQL.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
from typing import Any
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Engine, func, select, text

from app.outbox.relay import ensure_relay
from core.clock import SystemClock
from core.use_cases.create_organization import CreateOrganization, create_organization
from core.use_cases.invite_user import InviteUser, invite_user
from devservers.processes import free_port
from devservers.stack import DatabaseTarget
from devservers.worker_process import StrataWorker
from infra.db.engine import runtime_engine
from infra.db.provider import SqlUnitOfWork
from infra.db.schema import domain_events, organization_trials, processed_events
from tests.integration.mail.conftest import SENDER, Mailbox
from tests.workflows.harness import RetentionStack

WRITERS = 16
ORGANIZATIONS_PER_WRITER = 2
INVITATIONS_PER_ORGANIZATION = 3


class CapturingServer(Mailbox):
    """A real SMTP server's mailbox; each message takes `delay` seconds to accept."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Session, envelope: Envelope
    ) -> str:
        await asyncio.sleep(self.delay)
        with self.lock:
            return await super().handle_DATA(server, session, envelope)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(message["Message-ID"]) for message in self.received]

    def messages(self) -> list[Message]:
        with self.lock:
            return list(self.received)


@contextmanager
def smtp_server(delay: float = 0.0) -> Iterator[tuple[CapturingServer, dict[str, str]]]:
    mailbox = CapturingServer(delay)
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_FROM": SENDER}
    finally:
        controller.stop()


@pytest.fixture
def delivery_stack(stack: RetentionStack) -> RetentionStack:
    return stack.with_relay(OUTBOX_LEASE="3", OUTBOX_RETRY_BASE="0.5", OUTBOX_RETRY_CAP="2")


def create_organizations_and_invite(engine: Engine, writer: int) -> None:
    """One writer's organizations, each with its invitations, one use case at a time."""
    unit_of_work, clock = SqlUnitOfWork.on_engine(engine), SystemClock()
    for number in range(ORGANIZATIONS_PER_WRITER):
        created = create_organization(
            unit_of_work,
            clock,
            CreateOrganization(
                f"Writer {writer} org {number}", f"billing.{writer}.{number}@x.test"
            ),
        )
        organization = unsafe_perform_io(created.unwrap())
        for invitee in range(INVITATIONS_PER_ORGANIZATION):
            address = f"invitee.{writer}.{number}.{invitee}@x.test"
            sent = invite_user(unit_of_work, clock, InviteUser(organization.id, address))
            unsafe_perform_io(sent.unwrap())


def counts(stack: RetentionStack) -> dict[str, int]:
    with stack.owner.connect() as connection:
        rows = connection.execute(
            select(domain_events.c.status, func.count()).group_by(domain_events.c.status)
        )
        return {status: number for status, number in rows}


def settled(stack: RetentionStack) -> bool:
    return set(counts(stack)) <= {"published", "failed"}


def trials(stack: RetentionStack) -> int:
    statement = select(func.count()).select_from(organization_trials)
    with stack.owner.connect() as connection:
        return connection.execute(statement).scalar_one()


def event_ids(stack: RetentionStack, event_type: str) -> set[UUID]:
    statement = select(domain_events.c.id).where(domain_events.c.event_type == event_type)
    with stack.owner.connect() as connection:
        return set(connection.execute(statement).scalars())


def message_id_of(event_id: UUID) -> str:
    return f"<{event_id}@{SENDER.split('@')[1]}>"


def assert_effects_happened_exactly_once(stack: RetentionStack, mailbox: CapturingServer) -> None:
    with stack.owner.connect() as connection:
        trials = connection.execute(select(func.count()).select_from(organization_trials)).scalar()
        processed = Counter(connection.execute(select(processed_events.c.event_id)).scalars())
    created = event_ids(stack, "organization.created")
    assert trials == len(created), "one trial per organization"
    assert set(processed) == created
    assert set(processed.values()) == {1}
    # Emails are an external send: a redelivery may send again, with the same Message-ID.
    sent = event_ids(stack, "invitation.sent")
    assert set(mailbox.message_ids()) == {message_id_of(event_id) for event_id in sent}


async def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        await asyncio.sleep(0.1)


def test_sixteen_writers_get_every_invitation_emailed_and_every_organization_onboarded_once(
    delivery_stack: RetentionStack,
) -> None:
    with smtp_server() as (mailbox, smtp):
        stack = delivery_stack.with_environment(**smtp)
        engine = runtime_engine(stack.database_settings)

        async def relay_while_writing() -> None:
            client = await stack.client()
            async with stack.worker(client):
                await ensure_relay(client, stack.temporal_settings, stack.outbox_settings)
                writers = [
                    asyncio.to_thread(create_organizations_and_invite, engine, writer)
                    for writer in range(WRITERS)
                ]
                await asyncio.gather(*writers)
                await wait_until(lambda: settled(stack), 90, "every event is delivered")
                await wait_until(
                    lambda: trials(stack) == WRITERS * ORGANIZATIONS_PER_WRITER,
                    60,
                    "every onboarding child workflow has run",
                )
                await client.get_workflow_handle(stack.outbox_settings.workflow_id).terminate()

        try:
            asyncio.run(relay_while_writing())
        finally:
            engine.dispose()

    organizations = WRITERS * ORGANIZATIONS_PER_WRITER
    assert counts(stack) == {"published": organizations * (1 + INVITATIONS_PER_ORGANIZATION)}
    assert_effects_happened_exactly_once(stack, mailbox)
    assert len(mailbox.messages()) == organizations * INVITATIONS_PER_ORGANIZATION
    (one, *_) = mailbox.messages()
    assert one["From"] == SENDER
    assert "invited" in str(one["Subject"])


def test_a_killed_worker_and_a_restarted_postgresql_lose_nothing_and_repeat_no_database_effect(
    delivery_stack: RetentionStack, database: DatabaseTarget
) -> None:
    # Slow sends, so the kill lands while a batch of emails is being sent.
    with smtp_server(delay=0.02) as (mailbox, smtp):
        stack = delivery_stack.with_environment(**smtp)
        engine = runtime_engine(stack.database_settings)
        try:
            for writer in range(WRITERS):
                create_organizations_and_invite(engine, writer)
        finally:
            engine.dispose()

        async def kill_then_restart() -> None:
            client = await stack.client()
            with StrataWorker(stack.environment) as worker:
                await ensure_relay(client, stack.temporal_settings, stack.outbox_settings)
                await wait_until(lambda: len(mailbox.messages()) >= 10, 60, "emails flow")
                worker.kill()
                # Whatever the killed worker had claimed stays processing until its lease ends.
                assert counts(stack).get("processing", 0) > 0
                worker.start()
                await wait_until(lambda: len(mailbox.messages()) >= 40, 60, "emails flow again")
                restart_postgresql(database, stack)
                await wait_until(lambda: settled(stack), 120, "every event is delivered")
                await wait_until(
                    lambda: trials(stack) == WRITERS * ORGANIZATIONS_PER_WRITER,
                    60,
                    "every onboarding child workflow has run",
                )
                await client.get_workflow_handle(stack.outbox_settings.workflow_id).terminate()

        asyncio.run(kill_then_restart())

    organizations = WRITERS * ORGANIZATIONS_PER_WRITER
    assert counts(stack) == {"published": organizations * (1 + INVITATIONS_PER_ORGANIZATION)}
    assert_effects_happened_exactly_once(stack, mailbox)


def restart_postgresql(database: DatabaseTarget, stack: RetentionStack) -> None:
    """A real restart of the embedded server; against an external server, every connection
    of the scratch database is dropped instead, which is what its clients see of a restart."""
    if database.embedded is not None:
        database.embedded.restart()
        return
    with stack.owner.begin() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
