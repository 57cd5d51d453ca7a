"""What a key records: the request it was first used for and the result that request got.

A request is identified by its fingerprint: the SHA-256 of a canonical JSON
document of the command's class name and every field of the command, so the
same arguments give the same fingerprint in any process, and a different
command under the same key never matches. Secrets a command carries (an
invitation token) are only ever stored hashed inside the fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final
from uuid import UUID

from returns.result import Failure, Result, Success

from core.domains.idempotency.errors import InvalidIdempotencyKey
from core.json import JsonObject, JsonValue

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

# The same pattern is the CHECK constraint ck_idempotency_keys_key_format: wide
# enough for a UUID or a client's "order-42:retry", narrow enough to log safely.
KEY_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


@dataclass(frozen=True)
class IdempotentRequest:
    """A command under a key: the key, the command's name and the request's fingerprint."""

    key: str
    command: str
    fingerprint: str


@dataclass(frozen=True)
class NewIdempotencyRecord:
    """A key about to be stored with the result its first run produced."""

    key: str
    command: str
    fingerprint: str
    result: JsonObject
    created_at: datetime


@dataclass(frozen=True)
class IdempotencyRecord:
    """A stored key: the request it was first used for and that request's result."""

    id: UUID
    key: str
    command: str
    fingerprint: str
    result: JsonObject
    created_at: datetime

    def answers(self, request: IdempotentRequest) -> bool:
        """True when `request` repeats the one this key was first used for."""
        return (self.command, self.fingerprint) == (request.command, request.fingerprint)


def idempotent_request(
    key: str, command: DataclassInstance
) -> Result[IdempotentRequest, InvalidIdempotencyKey]:
    """The request `command` makes under `key`; a malformed key is refused."""
    if KEY_PATTERN.fullmatch(key) is None:
        return Failure(InvalidIdempotencyKey(key))
    return Success(IdempotentRequest(key, type(command).__name__, fingerprint(command)))


def fingerprint(command: DataclassInstance) -> str:
    """The SHA-256 (hex) of the canonical JSON of the command's name and fields."""
    document = {"command": type(command).__name__, "fields": _fields_of(command)}
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _fields_of(command: DataclassInstance) -> JsonObject:
    return {field.name: _canonical(getattr(command, field.name)) for field in fields(command)}


def _canonical(value: object) -> JsonValue:
    """One JSON spelling per value, so equal commands hash alike.

    Raises:
        TypeError: for a field type with no canonical spelling yet (a programming
            error: extend this function rather than hashing a `repr`).
    """
    match value:
        case None | bool() | int() | float() | str():
            return value
        case UUID():
            return str(value)
        case datetime() | date():
            return value.isoformat()
        case timedelta():
            # Whole microseconds: exact, unlike total_seconds()'s float.
            return value // timedelta(microseconds=1)
        case tuple() | list():
            return [_canonical(item) for item in value]
        case _ if is_dataclass(value) and not isinstance(value, type):
            return _fields_of(value)
        case _:
            raise TypeError(f"no canonical JSON spelling for {type(value).__name__}")
