"""The use cases over in-memory fakes: validation, events, and all-or-nothing writes."""

from __future__ import annotations

from datetime import timedelta

from returns.io import IOFailure
from returns.unsafe import unsafe_perform_io

from core.domains.invitations.errors import (
    EmailAlreadyRegistered,
    InvitationExpired,
    InvitationNotPending,
)
from core.domains.organizations.errors import BlankOrganizationName
from core.domains.organizations.events import OrganizationCreated
from core.email import InvalidEmail
from core.errors import RuleViolated
from core.use_cases.accept_invitation import AcceptInvitation, accept_invitation
from core.use_cases.create_organization import CreateOrganization, create_organization
from core.use_cases.invite_user import InviteUser, invite_user
from core.use_cases.record_login import RecordLogin, record_login
from core.use_cases.revoke_invitation import RevokeInvitation, revoke_invitation
from tests.unit.core.fakes import FakeUnitOfWork, FixedClock


def value(outcome: object) -> object:
    return unsafe_perform_io(outcome).unwrap()


def test_creating_an_organization_records_organization_created_for_it() -> None:
    uow = FakeUnitOfWork()
    organization = value(
        create_organization(uow, FixedClock(), CreateOrganization(" Acme ", "B@x.io"))
    )
    (event,) = uow.tables.events
    assert event.payload == OrganizationCreated(organization.id, "Acme", "b@x.io")
    assert (event.event_type, event.aggregate_type, event.sequence_number) == (
        "organization.created", "organization", 1,
    )  # fmt: skip


def test_a_blank_name_is_refused_before_anything_is_written() -> None:
    uow = FakeUnitOfWork()
    outcome = create_organization(uow, FixedClock(), CreateOrganization("  ", "b@x.io"))
    assert outcome == IOFailure(BlankOrganizationName())
    assert uow.tables.organizations == {}


def test_an_address_without_at_sign_is_refused() -> None:
    outcome = create_organization(FakeUnitOfWork(), FixedClock(), CreateOrganization("A", "nope"))
    assert outcome == IOFailure(InvalidEmail("nope"))


def test_a_failing_event_append_leaves_no_organization() -> None:
    uow = FakeUnitOfWork(fail_on="domain_events.append")
    outcome = create_organization(uow, FixedClock(), CreateOrganization("Acme", "b@x.io"))
    assert isinstance(unsafe_perform_io(outcome).failure(), RuleViolated)
    assert (uow.tables.organizations, uow.tables.events) == ({}, [])


def test_an_invitation_is_accepted_once_and_creates_the_user() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    org = value(create_organization(uow, clock, CreateOrganization("Acme", "b@x.io")))
    sent = value(invite_user(uow, clock, InviteUser(org.id, "New@X.io", "admin")))
    joined = value(accept_invitation(uow, clock, AcceptInvitation(sent.token, "New")))
    again = accept_invitation(uow, clock, AcceptInvitation(sent.token, "New"))
    assert (joined.user.email, joined.user.role) == ("new@x.io", "admin")
    assert again == IOFailure(InvitationNotPending(sent.invitation.id, "accepted"))
    assert [e.event_type for e in uow.tables.events] == [
        "organization.created", "invitation.sent", "invitation.accepted", "user.joined",
    ]  # fmt: skip


def test_the_stored_invitation_keeps_only_a_hash_of_the_token() -> None:
    uow = FakeUnitOfWork()
    sent = value(invite_user(uow, FixedClock(), InviteUser(org_id(uow), "a@x.io")))
    assert sent.token not in sent.invitation.token_hash
    assert len(sent.invitation.token_hash) == 64


def test_an_expired_invitation_cannot_be_accepted() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    sent = value(invite_user(uow, clock, InviteUser(org_id(uow), "a@x.io")))
    clock.current += timedelta(days=8)
    outcome = accept_invitation(uow, clock, AcceptInvitation(sent.token, "A"))
    assert outcome == IOFailure(InvitationExpired(sent.invitation.id, sent.invitation.expires_at))


def test_inviting_a_registered_address_is_refused() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    sent = value(invite_user(uow, clock, InviteUser(org_id(uow), "a@x.io")))
    value(accept_invitation(uow, clock, AcceptInvitation(sent.token, "A")))
    outcome = invite_user(uow, clock, InviteUser(org_id(uow), "A@x.io"))
    assert outcome == IOFailure(EmailAlreadyRegistered("a@x.io"))


def test_a_revoked_invitation_cannot_be_revoked_again_or_accepted() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    sent = value(invite_user(uow, clock, InviteUser(org_id(uow), "a@x.io")))
    value(revoke_invitation(uow, clock, RevokeInvitation(sent.invitation.id)))
    not_pending = IOFailure(InvitationNotPending(sent.invitation.id, "revoked"))
    assert revoke_invitation(uow, clock, RevokeInvitation(sent.invitation.id)) == not_pending
    assert accept_invitation(uow, clock, AcceptInvitation(sent.token, "A")) == not_pending


def test_recording_a_login_appends_its_audit_event_with_the_session() -> None:
    uow = FakeUnitOfWork()
    session = value(record_login(uow, FixedClock(), RecordLogin(org_id(uow), user_agent="cli")))
    (audit,) = uow.tables.audit
    assert (audit.session_id, audit.event_type, audit.metadata.user_agent) == (
        session.id, "login_succeeded", "cli",
    )  # fmt: skip


def org_id(uow: FakeUnitOfWork) -> object:
    if not uow.tables.organizations:
        create_organization(uow, FixedClock(), CreateOrganization("Acme", "b@x.io"))
    return next(iter(uow.tables.organizations))
