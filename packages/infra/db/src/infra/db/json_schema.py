"""Types of the JSON/JSONB columns, shared by the row schemas. Nothing here is `Any`.

`JsonValue`/`JsonObject` are recursive aliases pydantic can validate and mypy
can check. Columns with a known shape get a model (audit event metadata).
Domain event payloads are JSON objects here and typed per event type by the
core registry; setting values are any JSON, shaped by each key's reader.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypeAliasType

JsonValue = TypeAliasType(
    "JsonValue", "str | int | float | bool | list[JsonValue] | dict[str, JsonValue] | None"
)
JsonObject = TypeAliasType("JsonObject", dict[str, JsonValue])


class AuditEventMetadata(BaseModel):
    """`auth_audit_events.metadata`: optional facts about the event, nothing else."""

    model_config = ConfigDict(frozen=True, strict=True, extra="forbid")

    user_agent: str | None = None
    email: str | None = None
    reason: str | None = None


DomainEventPayload = JsonObject
"""`domain_events.payload`: an object, decoded into its payload class by the event registry."""

SystemSettingValue = JsonValue
"""`system_settings.value`: any JSON; each key's reader gives it a shape."""

IdempotencyResult = JsonObject
"""`idempotency_keys.result`: the JSON a command's caller chose to replay (the CLI's view)."""
