"""Run one CLI command's work against Temporal: connect, translate a refusal, handle Ctrl-C."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from temporalio.client import Client
from temporalio.service import RPCError

from app import bootstrap
from app.errors import OperatorError
from app.settings import TemporalSettings
from app.terminal import exit_on_interrupt

T = TypeVar("T")


def with_temporal(
    settings: TemporalSettings, work: Callable[[Client], Awaitable[T]], interrupted: str
) -> T:
    """`work` on a connected client; a refusal is one line naming the server, and Ctrl-C
    ends the command at once with `interrupted` (what keeps running on the server)."""

    async def connected() -> T:
        client = await bootstrap.connect_temporal(settings)
        try:
            return await work(client)
        except RPCError as error:
            raise OperatorError(
                f"Temporal at {settings.address} refused: {error.message}"
            ) from error

    with exit_on_interrupt(interrupted):
        return asyncio.run(connected())
