"""Row schema of `idempotency_keys`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from infra.db.json_schema import IdempotencyResult
from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class IdempotencyKeysRowSchema(BaseModel):
    """One row of `idempotency_keys`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    id: UUID
    key: str
    command: str
    fingerprint: str
    result: IdempotencyResult
    created_at: AwareDatetime
