"""Row schema of `retention_prune_batches`."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from infra.db.row_schemas._config import ROW_SCHEMA_CONFIG


class RetentionPruneBatchesRowSchema(BaseModel):
    """One row of `retention_prune_batches`, column for column."""

    model_config = ROW_SCHEMA_CONFIG

    id: UUID
    run_key: str
    target: str
    cutoff: AwareDatetime
    rows_deleted: int
    recorded_at: AwareDatetime
