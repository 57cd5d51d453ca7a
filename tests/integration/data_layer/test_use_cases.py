"""The use cases against PostgreSQL: each commits its rows and events together, or nothing."""

from __future__ import annotations

from ipaddress import ip_address

import pytest
from returns.io import IOFailure
from returns.pipeline import is_successful
from returns.unsafe import unsafe_perform_io
from sqlalchemy import Connection, func, select

from core.domains.invitations.errors import EmailAlreadyRegistered
from core.errors import Conflict
from core.use_cases.accept_invitation import AcceptInvitation, accept_invitation
from core.use_cases.create_organization import CreateOrganization, create_organization
from core.use_cases.invite_user import InviteUser, invite_user
from core.use_cases.record_login import RecordLogin, record_login
from core.use_cases.revoke_invitation import RevokeInvitation, revoke_invitation
from infra.db.factories import UsersFactory
from infra.db.provider import SqlUnitOfWork
from infra.db.schema import (
    auth_audit_events,
    auth_login_sessions,
    domain_events,
    invitations,
    organizations,
)


def value(outcome: object) -> object:
    return unsafe_perform_io(outcome).unwrap()


def event_types(connection: Connection) -> list[str]:
    statement = select(domain_events.c.event_type).order_by(domain_events.c.created_at)
    return list(connection.execute(statement).scalars())


def rows(connection: Connection, table: object) -> int:
    return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_creating_an_organization_stores_it_with_its_created_event(
    connection: Connection, uow: SqlUnitOfWork, clock: object
) -> None:
    organization = value(create_organization(uow, clock, CreateOrganization("Acme", "B@Acme.test")))
    assert organization.billing_email == "b@acme.test"
    stored = connection.execute(
        select(domain_events.c.event_type, domain_events.c.sequence_number).where(
            domain_events.c.aggregate_id == organization.id
        )
    ).all()
    assert [tuple(row) for row in stored] == [("organization.created", 1)]


def test_inviting_then_accepting_creates_the_user_and_three_events(
    connection: Connection, uow: SqlUnitOfWork, clock: object
) -> None:
    organization = value(create_organization(uow, clock, CreateOrganization("Acme", "b@acme.test")))
    sent = value(invite_user(uow, clock, InviteUser(organization.id, "New@Acme.test", "admin")))
    joined = value(accept_invitation(uow, clock, AcceptInvitation(sent.token, "New Person")))
    assert (joined.user.email, joined.user.role) == ("new@acme.test", "admin")
    assert joined.invitation.status == "accepted"
    assert event_types(connection)[-4:] == [
        "organization.created", "invitation.sent", "invitation.accepted", "user.joined",
    ]  # fmt: skip


def test_revoking_closes_the_invitation_and_records_it(
    connection: Connection, uow: SqlUnitOfWork, clock: object
) -> None:
    organization = value(create_organization(uow, clock, CreateOrganization("Acme", "b@acme.test")))
    sent = value(invite_user(uow, clock, InviteUser(organization.id, "x@acme.test")))
    revoked = value(revoke_invitation(uow, clock, RevokeInvitation(sent.invitation.id)))
    assert revoked.status == "revoked"
    assert event_types(connection)[-1] == "invitation.revoked"


def test_an_acceptance_failing_after_its_writes_leaves_neither_row_nor_event(
    connection: Connection, uow: SqlUnitOfWork, clock: object
) -> None:
    organization = value(create_organization(uow, clock, CreateOrganization("Acme", "b@acme.test")))
    sent = value(invite_user(uow, clock, InviteUser(organization.id, "taken@acme.test")))
    # Someone registers the address meanwhile: the user insert fails after the
    # invitation was closed and `invitation.accepted` appended.
    UsersFactory.create(connection=connection, email="taken@acme.test")
    events_before = rows(connection, domain_events)
    outcome = accept_invitation(uow, clock, AcceptInvitation(sent.token, "Late"))
    assert isinstance(unsafe_perform_io(outcome).failure(), Conflict)
    assert rows(connection, domain_events) == events_before
    status = connection.execute(
        select(invitations.c.status).where(invitations.c.id == sent.invitation.id)
    ).scalar_one()
    assert status == "pending"


def test_a_unit_of_work_raising_after_its_writes_rolls_them_back(
    connection: Connection, uow: SqlUnitOfWork, clock: object
) -> None:
    class BoomError(Exception):
        pass

    def work(repos: object) -> object:
        value(create_organization(SqlUnitOfWork.in_savepoints(connection), clock,
                                  CreateOrganization("Inner", "i@acme.test")))  # fmt: skip
        raise BoomError

    before = (rows(connection, organizations), rows(connection, domain_events))
    with pytest.raises(BoomError):
        uow.run(work)
    assert (rows(connection, organizations), rows(connection, domain_events)) == before


def test_recording_a_login_opens_a_session_with_its_audit_event(
    connection: Connection, uow: SqlUnitOfWork, clock: object
) -> None:
    user = UsersFactory.create(connection=connection)
    session = value(record_login(uow, clock, RecordLogin(user.id, ip_address("10.1.2.3"), "cli")))
    audit = connection.execute(
        select(auth_audit_events.c.event_type, auth_audit_events.c.session_id,
               auth_audit_events.c.metadata).where(auth_audit_events.c.user_id == user.id)
    ).one()  # fmt: skip
    assert tuple(audit) == ("login_succeeded", session.id, {"user_agent": "cli"})
    assert session.ip == ip_address("10.1.2.3")
    stored = select(auth_login_sessions.c.user_id).where(auth_login_sessions.c.id == session.id)
    assert connection.execute(stored).scalar_one() == user.id


def test_inviting_an_address_that_has_an_account_is_refused(
    uow: SqlUnitOfWork, clock: object, connection: Connection
) -> None:
    user = UsersFactory.create(connection=connection)
    outcome = invite_user(uow, clock, InviteUser(user.organization_id, user.email))
    assert not is_successful(outcome)
    assert outcome == IOFailure(EmailAlreadyRegistered(user.email))
