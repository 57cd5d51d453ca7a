"""The lifecycle states of an invitation: pending, then one final state."""

from __future__ import annotations

from typing import Literal

InvitationStatus = Literal["pending", "accepted", "revoked", "expired"]
