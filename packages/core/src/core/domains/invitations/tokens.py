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
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return IssuedToken(token, hash_token(token))
