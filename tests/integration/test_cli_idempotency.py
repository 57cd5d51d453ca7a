"""`--idempotency-key` through the installed `strata`: a repeat replays, a reuse conflicts.

On a scratch database of this module's own (the commands commit). Counting
rows before and after a repeat proves it wrote nothing.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, func, select

from app.terminal import ExitCode
from infra.db.schema import domain_events, idempotency_keys, invitations, organizations, users
from tests.integration.cli_runner import scratch_database_fixtures
from tests.integration.test_cli_use_cases import Strata, assert_refused, unique_email

SCRATCH_DATABASE = "strata_cli_idempotency_test"
COUNTED = (organizations, users, invitations, domain_events, idempotency_keys)


cli_database, owner = scratch_database_fixtures(SCRATCH_DATABASE)


@pytest.fixture
def strata(cli_database: dict[str, str]) -> Strata:
    return Strata(cli_database)


def new_key() -> str:
    return f"cli-{uuid.uuid4()}"


def row_counts(owner: Engine) -> dict[str, int]:
    with owner.connect() as connection:
        return {
            table.name: int(
                connection.execute(select(func.count()).select_from(table)).scalar_one()
            )
            for table in COUNTED
        }


def test_org_create_repeated_with_its_key_prints_the_same_result_and_writes_nothing(
    strata: Strata, owner: Engine
) -> None:
    key = new_key()
    arguments = (
        "org",
        "create",
        "Acme",
        "--billing-email",
        "b@acme.test",
        "--idempotency-key",
        key,
    )
    first = strata(*arguments)
    before = row_counts(owner)

    again = strata(*arguments)

    assert (first.returncode, again.returncode) == (0, 0), again.stderr
    assert again.stdout == first.stdout
    assert first.stderr == ""
    assert f"idempotency key {key}: replaying the result of its first run" in again.stderr
    assert row_counts(owner) == before


def test_the_json_of_a_replay_is_the_json_of_the_first_run(strata: Strata) -> None:
    arguments = ("org", "create", "Acme", "--billing-email", "b@acme.test",
                 "--idempotency-key", new_key(), "--json")  # fmt: skip

    first, again = strata(*arguments), strata(*arguments)

    assert again.stdout == first.stdout, "the same keys in the same order"
    assert json.loads(again.stdout)["name"] == "Acme"


def test_a_key_reused_for_another_request_is_a_conflict_and_writes_nothing(
    strata: Strata, owner: Engine
) -> None:
    key = new_key()
    strata.json("org", "create", "Acme", "--billing-email", "b@acme.test", "--idempotency-key", key)
    before = row_counts(owner)

    other = strata("org", "create", "Globex", "--billing-email", "b@acme.test",
                   "--idempotency-key", key)  # fmt: skip

    assert_refused(
        other, ExitCode.CONFLICT, f"idempotency key {key} was already used for a different"
    )
    assert row_counts(owner) == before


def test_a_malformed_key_is_invalid_input(strata: Strata, owner: Engine) -> None:
    before = row_counts(owner)

    result = strata("org", "create", "Acme", "--billing-email", "b@acme.test",
                    "--idempotency-key", "two words")  # fmt: skip

    assert_refused(result, ExitCode.INVALID_INPUT, "'two words' is not an idempotency key")
    assert row_counts(owner) == before


def test_a_replayed_invitation_does_not_show_its_token_again(strata: Strata, owner: Engine) -> None:
    organization_id = strata.organization()
    arguments = ("invitations", "send", organization_id, unique_email("once"),
                 "--idempotency-key", new_key())  # fmt: skip
    sent = strata.json(*arguments)
    before = row_counts(owner)

    replayed = strata(*arguments, "--json")
    replayed_text = strata(*arguments)

    assert json.loads(replayed.stdout) == {**sent, "token": None}
    assert replayed_text.stdout.strip().endswith(
        "token: not shown again: it was shown when the invitation was first sent"
    )
    assert row_counts(owner) == before
    with owner.connect() as connection:
        stored = connection.execute(select(idempotency_keys.c.result)).scalars().all()
    assert not any(sent["token"] in json.dumps(result) for result in stored)
    accepted = strata.json("invitations", "accept", sent["token"], "--display-name", "Once")
    assert accepted["invitation_id"] == sent["invitation_id"]


def test_accept_and_revoke_repeated_with_their_keys_replay_instead_of_being_refused(
    strata: Strata, owner: Engine
) -> None:
    accept = ("invitations", "accept", strata.invitation()["token"], "--display-name", "Ada",
              "--idempotency-key", new_key())  # fmt: skip
    revoke = ("invitations", "revoke", strata.invitation()["invitation_id"],
              "--idempotency-key", new_key())  # fmt: skip
    joined, revoked = strata.json(*accept), strata.json(*revoke)
    before = row_counts(owner)

    assert strata.json(*accept) == joined
    assert strata.json(*revoke) == revoked
    assert row_counts(owner) == before


def test_concurrent_commands_with_one_key_create_one_organization(
    strata: Strata, owner: Engine
) -> None:
    name = f"Concurrent {uuid.uuid4().hex[:12]}"
    arguments = ("org", "create", name, "--billing-email", "b@acme.test",
                 "--idempotency-key", new_key(), "--json")  # fmt: skip

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: strata(*arguments), range(4)))

    assert [result.returncode for result in results] == [0] * 4, [r.stderr for r in results]
    assert len({result.stdout for result in results}) == 1
    with owner.connect() as connection:
        named = select(func.count()).where(organizations.c.name == name)
        assert connection.execute(named).scalar_one() == 1
