"""`strata outbox …` reads and retries delivery states in PostgreSQL, as an operator would.

The events are seeded with the factory in each delivery state and committed on
a scratch database of this module's own; each command is the installed
`strata` in its own process. Counts are compared before and after seeding, so
the tests do not depend on the order they run in.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from app.terminal import ExitCode
from infra.db.factories.domain_events import DomainEventsFactory
from infra.db.row_schemas.domain_events import DomainEventsRowSchema
from infra.db.schema import domain_events
from tests.integration.cli_runner import run_strata, scratch_database_fixtures

SCRATCH_DATABASE = "strata_cli_outbox_test"
STATUSES = ("pending", "processing", "published", "failed")
# Before the factory's default times (2025), so no other seeded event is older.
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


cli_database, owner = scratch_database_fixtures(SCRATCH_DATABASE)


class Outbox:
    """`strata outbox …` on the scratch database, and the factory that seeds it."""

    def __init__(self, environment: dict[str, str], owner: Engine) -> None:
        self.environment = environment
        self.owner = owner

    def __call__(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return run_strata("outbox", *arguments, **self.environment)

    def json(self, *arguments: str) -> dict[str, Any]:
        result = self(*arguments, "--json")
        assert result.returncode == 0, result.stderr
        decoded: dict[str, Any] = json.loads(result.stdout)
        return decoded

    def seed(self, status: str, count: int = 1, **overrides: Any) -> list[DomainEventsRowSchema]:
        with self.owner.begin() as connection:
            return DomainEventsFactory.create_batch(
                count, connection=connection, status=status, **overrides
            )

    def status_of(self, event_id: uuid.UUID) -> str:
        with self.owner.connect() as connection:
            statement = select(domain_events.c.status).where(domain_events.c.id == event_id)
            found: str = connection.execute(statement).scalar_one()
            return found


@pytest.fixture
def outbox(cli_database: dict[str, str], owner: Engine) -> Outbox:
    return Outbox(cli_database, owner)


def counts(status: dict[str, Any]) -> dict[str, int]:
    return {name: status[name] for name in STATUSES}


def assert_refused(result: subprocess.CompletedProcess[str], code: ExitCode, says: str) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    line = result.stderr.strip()
    assert "\n" not in line, line
    assert line.startswith("strata: ")
    assert says in line
    assert result.stdout == ""


def test_status_counts_every_seeded_event_in_its_state_and_the_dead_letters(
    outbox: Outbox,
) -> None:
    before = counts(outbox.json("status"))
    seeded = {"pending": 3, "processing": 2, "published": 4, "failed": 2}
    for status, count in seeded.items():
        outbox.seed(status, count)

    after = outbox.json("status")

    assert counts(after) == {name: before[name] + seeded[name] for name in STATUSES}
    assert after["dead_letters"] == after["failed"]


def test_status_ages_the_oldest_deliverable_event_from_when_it_became_due(
    outbox: Outbox,
) -> None:
    # A lease that ran out before any other seeded event's: deliverable again since then.
    (expired,) = outbox.seed("processing", locked_until=LONG_AGO)
    assert expired.locked_until == LONG_AGO
    at_least = (datetime.now(UTC) - expired.locked_until).total_seconds()

    age = outbox.json("status")["oldest_deliverable_age_seconds"]

    assert at_least <= age < at_least + 60


def test_status_without_json_prints_one_line_per_status(outbox: Outbox) -> None:
    result = outbox("status")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:4]] == list(STATUSES)
    assert lines[4].startswith("oldest deliverable event: ")


def test_retry_moves_a_dead_letter_back_to_pending_keeping_its_reason_as_last_error(
    outbox: Outbox,
) -> None:
    (dead,) = outbox.seed("failed")

    retried = outbox.json("retry", str(dead.id))

    assert (retried["id"], retried["status"]) == (str(dead.id), "pending")
    assert (retried["failure_reason"], retried["last_error"]) == (None, dead.failure_reason)
    assert outbox.status_of(dead.id) == "pending"


def test_retry_all_failed_moves_every_dead_letter_back_to_pending(outbox: Outbox) -> None:
    dead = outbox.seed("failed", 3)
    (published,) = outbox.seed("published")

    retried = outbox.json("retry", "--all-failed")

    assert retried["retried"] >= 3
    assert {outbox.status_of(event.id) for event in dead} == {"pending"}
    assert outbox.status_of(published.id) == "published"
    assert outbox.json("status")["failed"] == 0


def test_retrying_an_event_that_is_not_failed_is_refused_and_changes_nothing(
    outbox: Outbox,
) -> None:
    (published,) = outbox.seed("published")

    result = outbox("retry", str(published.id))

    assert_refused(result, ExitCode.EVENT_NOT_FAILED, f"{published.id} is published, not failed")
    assert outbox.status_of(published.id) == "published"


def test_retrying_an_unknown_event_is_not_found(outbox: Outbox) -> None:
    unknown = uuid.uuid4()

    assert_refused(outbox("retry", str(unknown)), ExitCode.NOT_FOUND, str(unknown))


def test_retry_needs_exactly_one_of_an_event_id_and_all_failed(outbox: Outbox) -> None:
    assert outbox("retry").returncode == ExitCode.USAGE
    assert outbox("retry", str(uuid.uuid4()), "--all-failed").returncode == ExitCode.USAGE


def test_show_prints_the_delivery_state_of_an_event(outbox: Outbox) -> None:
    (leased,) = outbox.seed("processing")

    shown = outbox.json("show", str(leased.id))

    assert leased.locked_until is not None
    assert {key: shown[key] for key in ("id", "event_type", "status", "attempts")} == {
        "id": str(leased.id),
        "event_type": leased.event_type,
        "status": "processing",
        "attempts": 1,
    }
    assert datetime.fromisoformat(shown["locked_until"]) == leased.locked_until
    assert datetime.fromisoformat(shown["available_at"]) == leased.available_at
    assert shown["payload"] == leased.payload
    assert (shown["last_error"], shown["failure_reason"]) == (None, None)


def test_show_of_a_dead_letter_prints_its_failure_reason(outbox: Outbox) -> None:
    (dead,) = outbox.seed("failed")

    result = outbox("show", str(dead.id))

    assert result.returncode == 0, result.stderr
    assert f"failure_reason  {dead.failure_reason}" in result.stdout.splitlines()
    assert "status          failed" in result.stdout.splitlines()


def test_show_of_an_unknown_event_is_not_found(outbox: Outbox) -> None:
    unknown = uuid.uuid4()

    assert_refused(outbox("show", str(unknown)), ExitCode.NOT_FOUND, f"domain event {unknown}")
