"""Domain event payloads to and from JSON, through the core registry's payload classes."""

from __future__ import annotations

from typing import Final

from pydantic import TypeAdapter, ValidationError
from returns.result import Failure, Result, Success

from core.domains.domain_events.entities import EventPayload
from core.event_registry import EVENT_PAYLOAD_TYPES
from infra.db.json_schema import JsonObject

# One adapter per registered type: building them is the slow part of pydantic.
_ADAPTERS: Final[dict[type[EventPayload], TypeAdapter[EventPayload]]] = {
    payload_type: TypeAdapter(payload_type) for payload_type in EVENT_PAYLOAD_TYPES.values()
}


def registered_payload_type(event_type: str, payload: EventPayload) -> bool:
    """Whether `event_type` is registered with exactly this payload's class."""
    return EVENT_PAYLOAD_TYPES.get(event_type) is type(payload)


def encode_payload(payload: EventPayload) -> JsonObject:
    """The payload as a JSON object: UUIDs and datetimes become ISO strings."""
    encoded: JsonObject = _ADAPTERS[type(payload)].dump_python(payload, mode="json")
    return encoded


def decode_payload(event_type: str, payload: JsonObject) -> Result[EventPayload, str]:
    """The typed payload of a stored event; an unregistered type or bad shape is an error."""
    payload_type = EVENT_PAYLOAD_TYPES.get(event_type)
    if payload_type is None:
        return Failure(f"event type {event_type!r} is not registered")
    try:
        return Success(_ADAPTERS[payload_type].validate_python(payload))
    except ValidationError as error:
        return Failure(f"payload of {event_type}: {error.errors()[0]['msg']}")
