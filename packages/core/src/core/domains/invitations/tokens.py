"""Invitation tokens: the secret goes to the invitee, only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

TOKEN_BYTES = 32


@dataclass(frozen=True)
class IssuedToken:
    """A fresh secret and the hash that identifies it in storage."""

    token: str
    token_hash: str


def hash_token(token: str) -> str:
    """Hex SHA-256: tokens are random, so a slow password hash would add nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token() -> IssuedToken:
    """A 256-bit secret as 64 hex digits.

    Hex rather than URL-safe base64: a base64 token starts with `-` one time in 64,
    and `strata invitations accept -x…` then reads it as an option.
    """
    token = secrets.token_hex(TOKEN_BYTES)
    return IssuedToken(token, hash_token(token))
