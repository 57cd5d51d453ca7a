"""`strata org …` and `strata invitations …` run core's use cases against PostgreSQL.

Each command is the installed `strata` in its own process, on a scratch
database of this module's own (the commands commit, so they stay out of the
databases other tests roll back). A refused command prints one line on stderr
and exits with the code `app.terminal.ExitCode` documents.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from app.terminal import ExitCode
from devservers.processes import free_port
from infra.db.schema import domain_events, invitations, organizations, users
from tests.integration.cli_runner import run_strata, scratch_database_fixtures

SCRATCH_DATABASE = "strata_cli_test"
EXPIRE = text(
    "UPDATE invitations SET created_at = now() - interval '10 days', "
    "expires_at = now() - interval '3 days' WHERE id = :id"
)


cli_database, owner = scratch_database_fixtures(SCRATCH_DATABASE)


class Strata:
    """The `strata` command on the scratch database."""

    def __init__(self, environment: dict[str, str]) -> None:
        self.environment = environment

    def __call__(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return run_strata(*arguments, **self.environment)

    def json(self, *arguments: str) -> dict[str, Any]:
        result = self(*arguments, "--json")
        assert result.returncode == 0, result.stderr
        decoded: dict[str, Any] = json.loads(result.stdout)
        return decoded

    def organization(self) -> str:
        created = self.json("org", "create", "Acme", "--billing-email", unique_email("billing"))
        return str(created["organization_id"])

    def invitation(self, email: str | None = None) -> dict[str, Any]:
        organization_id = self.organization()
        return self.json("invitations", "send", organization_id, email or unique_email("invitee"))


@pytest.fixture
def strata(cli_database: dict[str, str]) -> Strata:
    return Strata(cli_database)


def unique_email(who: str) -> str:
    return f"{who}.{uuid.uuid4().hex[:12]}@example.test"


def assert_refused(result: subprocess.CompletedProcess[str], code: ExitCode, says: str) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    line = result.stderr.strip()
    assert "\n" not in line, line
    assert line.startswith("strata: ")
    assert says in line
    assert result.stdout == ""


def one(owner: Engine, statement: Any) -> Any:
    with owner.connect() as connection:
        return connection.execute(statement).one()


def test_org_create_stores_the_organization_and_its_event_and_prints_its_id(
    strata: Strata, owner: Engine
) -> None:
    result = strata("org", "create", "  Acme Corp ", "--billing-email", "Billing@Acme.TEST")

    assert result.returncode == 0, result.stderr
    organization_id = uuid.UUID(result.stdout.split()[1])
    row = one(owner, select(organizations).where(organizations.c.id == organization_id))
    assert (row.name, row.billing_email, row.subscription_status) == (
        "Acme Corp", "billing@acme.test", "trialing",
    )  # fmt: skip
    event = one(owner, select(domain_events).where(domain_events.c.aggregate_id == organization_id))
    assert event.event_type == "organization.created"


def test_org_create_as_json_gives_the_stored_values(strata: Strata, owner: Engine) -> None:
    created = strata.json("org", "create", "Acme", "--billing-email", "billing@acme.test")

    row = one(owner, select(organizations).where(organizations.c.id == created["organization_id"]))
    assert created == {
        "organization_id": str(row.id),
        "name": "Acme",
        "billing_email": "billing@acme.test",
        "subscription_status": "trialing",
    }


def test_an_invitation_sent_then_accepted_creates_the_user(strata: Strata, owner: Engine) -> None:
    organization_id = strata.organization()
    email = unique_email("Ada")
    sent = strata.json("invitations", "send", organization_id, email, "--role", "admin")

    accepted = strata("invitations", "accept", sent["token"], "--display-name", "Ada Lovelace")

    assert accepted.returncode == 0, accepted.stderr
    user = one(owner, select(users).where(users.c.email == email.lower()))
    assert (str(user.organization_id), user.display_name, user.role) == (
        organization_id, "Ada Lovelace", "admin",
    )  # fmt: skip
    assert f"user {user.id} " in accepted.stdout
    invitation = one(owner, select(invitations).where(invitations.c.id == sent["invitation_id"]))
    assert invitation.status == "accepted"


def test_sending_prints_the_id_and_the_token_that_accepting_needs(strata: Strata) -> None:
    organization_id = strata.organization()

    result = strata("invitations", "send", organization_id, unique_email("grace"))

    assert result.returncode == 0, result.stderr
    first, token_line = result.stdout.strip().splitlines()
    assert first.startswith("invitation ")
    token = token_line.removeprefix("token: ")
    accepted = strata.json("invitations", "accept", token, "--display-name", "Grace")
    assert accepted["invitation_id"] == first.split()[1]


def test_accepting_an_expired_invitation_is_refused_and_creates_no_user(
    strata: Strata, owner: Engine
) -> None:
    email = unique_email("late")
    sent = strata.invitation(email)
    with owner.begin() as connection:
        connection.execute(EXPIRE, {"id": sent["invitation_id"]})

    result = strata("invitations", "accept", sent["token"], "--display-name", "Late")

    assert_refused(
        result, ExitCode.INVITATION_EXPIRED, f"invitation {sent['invitation_id']} expired"
    )
    with owner.connect() as connection:
        assert connection.execute(select(users).where(users.c.email == email)).first() is None


def test_inviting_an_address_that_already_has_an_account_is_refused(strata: Strata) -> None:
    email = unique_email("taken")
    sent = strata.invitation(email)
    strata.json("invitations", "accept", sent["token"], "--display-name", "Taken")

    result = strata("invitations", "send", strata.organization(), email.upper())

    assert_refused(result, ExitCode.CONFLICT, f"{email} already belongs to a user")


def test_a_second_pending_invitation_to_the_same_address_is_a_conflict(strata: Strata) -> None:
    organization_id = strata.organization()
    email = unique_email("twice")
    strata.json("invitations", "send", organization_id, email)

    again = strata("invitations", "send", organization_id, email)

    assert_refused(again, ExitCode.CONFLICT, "uq_invitations_pending_organization_id_email")


def test_a_revoked_invitation_can_no_longer_be_accepted(strata: Strata, owner: Engine) -> None:
    sent = strata.invitation()

    revoked = strata("invitations", "revoke", sent["invitation_id"])
    accepted = strata("invitations", "accept", sent["token"], "--display-name", "Too Late")

    assert revoked.returncode == 0, revoked.stderr
    assert revoked.stdout.strip() == f"invitation {sent['invitation_id']} revoked"
    assert_refused(accepted, ExitCode.INVITATION_NOT_PENDING, "is revoked, no longer pending")
    invitation = one(owner, select(invitations).where(invitations.c.id == sent["invitation_id"]))
    assert invitation.status == "revoked"


def test_revoking_twice_is_refused_the_second_time(strata: Strata) -> None:
    sent = strata.invitation()
    strata.json("invitations", "revoke", sent["invitation_id"])

    again = strata("invitations", "revoke", sent["invitation_id"])

    assert_refused(again, ExitCode.INVITATION_NOT_PENDING, "is revoked")


def test_an_unknown_invitation_or_token_is_not_found(strata: Strata) -> None:
    unknown = str(uuid.uuid4())
    assert_refused(strata("invitations", "revoke", unknown), ExitCode.NOT_FOUND, unknown)
    assert_refused(
        strata("invitations", "accept", "no-such-token", "--display-name", "Nobody"),
        ExitCode.NOT_FOUND,
        "not found: invitations token",
    )


def test_inviting_to_an_unknown_organization_is_refused_by_the_database(strata: Strata) -> None:
    result = strata("invitations", "send", str(uuid.uuid4()), unique_email("orphan"))

    assert_refused(
        result, ExitCode.REFUSED_BY_DATABASE, "fk_invitations_organization_id_organizations"
    )


def test_invalid_input_is_refused_before_the_database_is_touched(strata: Strata) -> None:
    assert_refused(
        strata("org", "create", "   ", "--billing-email", "b@acme.test"),
        ExitCode.INVALID_INPUT,
        "an organization needs a name",
    )
    assert_refused(
        strata("org", "create", "Acme", "--billing-email", "not-an-address"),
        ExitCode.INVALID_INPUT,
        "'not-an-address' is not an email address",
    )


def test_an_unreachable_database_is_one_line_naming_it(strata: Strata) -> None:
    port = free_port()
    url = f"postgresql://app@127.0.0.1:{port}/strata"

    result = run_strata("org", "create", "Acme", "--billing-email", "b@acme.test", DATABASE_URL=url)

    assert_refused(result, ExitCode.FAILURE, "database unavailable")
    assert str(port) in result.stderr
