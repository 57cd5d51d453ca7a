"""Every failure a use case can return ends `strata` with one line and a documented code."""

from __future__ import annotations

from typing import get_args

import pytest

from app.terminal import FAILURES, ExitCode
from core.domains.domain_events.dead_letters import RetryDeadLetterError
from core.domains.idempotency.errors import IdempotencyError
from core.domains.invitations.errors import InvitationExpired, InvitationNotPending
from core.mail.ports import SendFailure
from core.use_cases.accept_invitation import AcceptInvitationError
from core.use_cases.create_organization import CreateOrganizationError
from core.use_cases.invite_user import InviteUserError
from core.use_cases.record_login import RecordLoginError
from core.use_cases.revoke_invitation import RevokeInvitationError

# What the commands can be handed back: every use case's failures, the mail port's
# (`strata mail test`), those of running a use case under an idempotency key, and an
# operator's retry of a dead letter (`strata outbox retry`).
USE_CASE_ERRORS = (
    AcceptInvitationError,
    CreateOrganizationError,
    IdempotencyError,
    InviteUserError,
    RecordLoginError,
    RevokeInvitationError,
    RetryDeadLetterError,
    SendFailure,
)


def members(union: object) -> set[type]:
    """The classes of a (possibly nested) union alias."""
    parts = get_args(union)
    if not parts:
        return {union} if isinstance(union, type) else set()
    return set().union(*(members(part) for part in parts))


@pytest.mark.parametrize("union", USE_CASE_ERRORS, ids=lambda union: str(union)[:40])
def test_every_failure_of_every_use_case_has_a_line_and_an_exit_code(union: object) -> None:
    assert members(union) <= set(FAILURES)


def test_the_table_has_no_entry_a_use_case_cannot_return() -> None:
    returned = set().union(*(members(union) for union in USE_CASE_ERRORS))
    assert set(FAILURES) == returned


def test_domain_failures_exit_with_codes_of_their_own_never_the_generic_one() -> None:
    generic = {ExitCode.OK, ExitCode.FAILURE, ExitCode.USAGE, ExitCode.INTERRUPTED}
    domain_codes = {
        line.exit_code
        for failure, line in FAILURES.items()
        if failure.__module__.startswith("core.domains")
    }
    assert not domain_codes & generic
    assert FAILURES[InvitationExpired].exit_code != FAILURES[InvitationNotPending].exit_code


def test_no_two_exit_codes_share_a_number() -> None:
    # An IntEnum silently turns a repeated value into an alias of the first name.
    assert len(ExitCode.__members__) == len(ExitCode)
