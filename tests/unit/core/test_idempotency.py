"""Idempotency keys over in-memory fakes: fingerprints, key formats and the one wrapper."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from returns.io import IOFailure
from returns.unsafe import unsafe_perform_io

from core.domains.idempotency.entities import fingerprint, idempotent_request
from core.domains.idempotency.errors import IdempotencyKeyReused, InvalidIdempotencyKey
from core.domains.organizations.entities import Organization
from core.domains.organizations.errors import BlankOrganizationName
from core.errors import RuleViolated
from core.json import JsonObject
from core.use_cases.create_organization import CreateOrganization, create_organization
from core.use_cases.idempotent import Replayed, run_idempotently
from core.use_cases.invite_user import InviteUser, SentInvitation, invite_user
from tests.unit.core.fakes import NOW, FakeUnitOfWork, FixedClock

ORGANIZATION_ID = UUID("8d0c8e42-3a4b-4c4e-9f0e-1b2c3d4e5f60")


def named(organization: Organization) -> JsonObject:
    return {"organization_id": str(organization.id), "name": organization.name}


def create(uow: FakeUnitOfWork, name: str = "Acme", key: str = "order-42") -> Any:
    outcome = run_idempotently(
        create_organization, uow, FixedClock(), CreateOrganization(name, "b@x.io"),
        key=key, encode=named,
    )  # fmt: skip
    return unsafe_perform_io(outcome)


@dataclass(frozen=True)
class OtherCommand:
    name: str
    billing_email: str
    correlation_id: UUID | None = None


def test_the_fingerprint_is_the_sha256_of_the_commands_canonical_json() -> None:
    command = InviteUser(ORGANIZATION_ID, "a@x.io", valid_for=timedelta(days=2))
    canonical = (
        '{"command":"InviteUser","fields":{"correlation_id":null,"email":"a@x.io",'
        '"invited_by":null,"organization_id":"8d0c8e42-3a4b-4c4e-9f0e-1b2c3d4e5f60",'
        '"role":"member","valid_for":172800000000}}'
    )
    assert fingerprint(command) == hashlib.sha256(canonical.encode()).hexdigest()


def test_equal_commands_share_a_fingerprint_and_any_other_field_value_changes_it() -> None:
    first = CreateOrganization("Acme", "b@x.io")
    assert fingerprint(first) == fingerprint(CreateOrganization("Acme", "b@x.io"))
    assert fingerprint(first) != fingerprint(CreateOrganization("Acme", "c@x.io"))
    assert fingerprint(first) != fingerprint(CreateOrganization("Acme", "b@x.io", ORGANIZATION_ID))


def test_the_same_fields_in_another_command_have_another_fingerprint() -> None:
    assert fingerprint(CreateOrganization("Acme", "b@x.io")) != fingerprint(
        OtherCommand("Acme", "b@x.io")
    )


def test_a_field_without_a_canonical_spelling_is_a_type_error_not_a_repr() -> None:
    @dataclass(frozen=True)
    class Odd:
        value: object

    with pytest.raises(TypeError, match="no canonical JSON spelling for set"):
        fingerprint(Odd({1, 2}))


@pytest.mark.parametrize(
    "key", ["a", "order-42:retry_1.b", "8d0c8e42-3a4b-4c4e-9f0e-1b2c3d4e5f60", "k" * 128]
)
def test_keys_of_letters_digits_and_separators_up_to_128_characters_are_accepted(key: str) -> None:
    assert idempotent_request(key, CreateOrganization("Acme", "b@x.io")).unwrap().key == key


@pytest.mark.parametrize("key", ["", "k" * 129, "two words", "-leading", "line\n", "é"])
def test_malformed_keys_are_refused(key: str) -> None:
    refused = idempotent_request(key, CreateOrganization("Acme", "b@x.io"))
    assert refused.failure() == InvalidIdempotencyKey(key)


def test_the_first_run_returns_the_value_and_stores_its_encoded_result_with_the_writes() -> None:
    uow = FakeUnitOfWork()
    organization = create(uow).unwrap()
    stored = uow.tables.idempotency_keys["order-42"]
    assert stored.result == named(organization)
    assert (stored.command, stored.created_at) == ("CreateOrganization", NOW)
    assert stored.fingerprint == fingerprint(CreateOrganization("Acme", "b@x.io"))
    assert uow.runs == 1, "the use case ran in the transaction that claimed the key"


def test_a_repeat_replays_the_stored_result_and_writes_nothing() -> None:
    uow = FakeUnitOfWork()
    organization = create(uow).unwrap()
    replayed = create(uow)
    assert replayed.unwrap() == Replayed("order-42", named(organization), NOW)
    assert list(uow.tables.organizations) == [organization.id]
    assert len(uow.tables.events) == 1


def test_the_same_key_with_another_request_is_a_conflict_and_writes_nothing() -> None:
    uow = FakeUnitOfWork()
    create(uow, name="Acme")
    refused = create(uow, name="Globex")
    assert refused.failure() == IdempotencyKeyReused("order-42", "CreateOrganization")
    assert [o.name for o in uow.tables.organizations.values()] == ["Acme"]


def test_the_same_key_for_another_command_is_a_conflict() -> None:
    uow = FakeUnitOfWork()
    create(uow)
    invited = run_idempotently(
        invite_user, uow, FixedClock(), InviteUser(ORGANIZATION_ID, "a@x.io"),
        key="order-42", encode=lambda sent: {"invitation_id": str(sent.invitation.id)},
    )  # fmt: skip
    assert invited == IOFailure(IdempotencyKeyReused("order-42", "CreateOrganization"))
    assert uow.tables.invitations == {}


def test_a_malformed_key_is_refused_before_any_transaction() -> None:
    uow = FakeUnitOfWork()
    assert create(uow, key="two words").failure() == InvalidIdempotencyKey("two words")
    assert uow.runs == 0


def test_a_refused_command_leaves_no_key_so_a_corrected_repeat_is_not_a_conflict() -> None:
    uow = FakeUnitOfWork()
    assert create(uow, name="  ").failure() == BlankOrganizationName()
    assert uow.tables.idempotency_keys == {}
    assert create(uow, name="Acme").unwrap().name == "Acme"


def test_a_key_that_cannot_be_stored_undoes_the_commands_writes() -> None:
    uow = FakeUnitOfWork(fail_on="idempotency_keys.store")
    assert isinstance(create(uow).failure(), RuleViolated)
    assert (uow.tables.organizations, uow.tables.events) == ({}, [])


def test_a_replayed_invitation_carries_no_token_when_its_encoding_leaves_it_out() -> None:
    uow = FakeUnitOfWork()

    def without_token(sent: SentInvitation) -> JsonObject:
        return {"invitation_id": str(sent.invitation.id)}

    def send() -> Any:
        return unsafe_perform_io(run_idempotently(
            invite_user, uow, FixedClock(), InviteUser(ORGANIZATION_ID, "a@x.io"),
            key="invite-1", encode=without_token,
        ))  # fmt: skip

    first = send().unwrap()
    replayed = send().unwrap()
    assert isinstance(replayed, Replayed)
    assert replayed.result == {"invitation_id": str(first.invitation.id)}
    assert first.token not in str(uow.tables.idempotency_keys["invite-1"])
