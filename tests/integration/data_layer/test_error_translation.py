"""Database refusals come back as named errors carrying the constraint that refused them."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection

from core.domains.users.entities import NewUser
from core.errors import Conflict, NotFound, RuleViolated
from infra.db.factories import InvitationsFactory, UsersFactory
from infra.db.repositories.invitations import SqlInvitationRepository
from infra.db.repositories.users import SqlUserRepository

NOW = datetime.now(UTC)


def failure(outcome: object) -> object:
    return unsafe_perform_io(outcome).failure()


def test_a_taken_email_is_a_conflict_named_by_its_unique_constraint(
    connection: Connection,
) -> None:
    user = UsersFactory.create(connection=connection)
    duplicate = NewUser(user.organization_id, user.email.upper(), "Twin", "member")
    error = failure(SqlUserRepository(connection).add(duplicate))
    assert isinstance(error, Conflict)
    assert (error.entity, error.constraint) == ("users", "uq_users_email")


def test_a_missing_organization_is_a_rule_violated_named_by_its_foreign_key(
    connection: Connection,
) -> None:
    error = failure(SqlUserRepository(connection).add(NewUser(uuid4(), "a@b.test", "A", "member")))
    assert error == RuleViolated("fk_users_organization_id_organizations", error.detail)


def test_closing_a_closed_invitation_is_refused_by_the_guard_trigger(
    connection: Connection,
) -> None:
    invitation = InvitationsFactory.create(connection=connection, status="accepted")
    error = failure(SqlInvitationRepository(connection).mark_revoked(invitation.id, NOW))
    assert isinstance(error, RuleViolated)
    assert error.constraint == "invitations_terminal_state_is_final"


def test_an_unknown_id_is_not_found_naming_the_table_and_key(connection: Connection) -> None:
    missing = uuid4()
    assert failure(SqlInvitationRepository(connection).get(missing)) == NotFound(
        "invitations", str(missing)
    )
