"""The decode row: one user's audit events listed through the repository ÷ fetched raw.

The raw side runs the repository's query as static SQL through psycopg and
keeps the tuples fetchall returns: the floor any decoding adds to.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import psycopg
from returns.unsafe import unsafe_perform_io

from devservers.bench.context import BenchContext
from devservers.bench.seeding import copy_rows, make_template, reset_table, settle
from devservers.bench.table import Direction, Figure, Goal
from devservers.stack import libpq_url
from infra.db.retention.targets import AgedRow
from infra.db.schema import auth_audit_events

NAME = "decode 10k rows"
GOAL = Goal(Direction.AT_MOST, 1.5)
# SqlAuditLog.list_for_user's statement, column for column.
RAW_LIST_FOR_USER = """
    SELECT id, user_id, session_id, event_type, ip, metadata, created_at
    FROM auth_audit_events WHERE user_id = %s ORDER BY created_at, id
"""


def decode_figure(context: BenchContext) -> Figure:
    """Best time of each side over the rounds, after one warm-up of each."""
    rows = context.sizes.decode_rows
    user_id = _seed_one_users_events(context, rows)
    with (
        context.ports() as ports,
        psycopg.connect(libpq_url(context.runtime_url)) as raw,
    ):

        def through_repository() -> int:
            listed = ports.unit_of_work.run(lambda repos: repos.audit_log.list_for_user(user_id))
            return len(unsafe_perform_io(listed.unwrap()))

        def fetched_raw() -> int:
            with raw.cursor() as cursor:
                cursor.execute(RAW_LIST_FOR_USER, (user_id,))
                return len(cursor.fetchall())

        repository = _best_seconds(through_repository, rows, context.sizes.rounds)
        floor = _best_seconds(fetched_raw, rows, context.sizes.rounds)
    measured = f"{rows:,} rows: repository {repository * 1000:.0f} ms ÷ raw {floor * 1000:.0f} ms"
    return Figure(NAME, measured, repository / floor, GOAL)


def _best_seconds(listing: Callable[[], int], rows: int, rounds: int) -> float:
    timings = []
    for attempt in range(rounds + 1):
        started = time.perf_counter()
        listed = listing()
        elapsed = time.perf_counter() - started
        if listed != rows:
            raise RuntimeError(f"listed {listed} audit events, seeded {rows}")
        if attempt > 0:  # the first run warms the pool and the caches
            timings.append(elapsed)
    return min(timings)


def _seed_one_users_events(context: BenchContext, rows: int) -> uuid.UUID:
    reset_table(context.owner_url, auth_audit_events)
    user_id = uuid.uuid4()
    at = datetime.now(UTC) - timedelta(hours=1)
    with context.owner.begin() as connection:
        template = make_template(
            connection, auth_audit_events, AgedRow("created_at"), at, {"user_id": user_id}
        )
        copy_rows(connection, template, rows - 1)
    settle(context.owner_url, auth_audit_events)
    return user_id
