"""Factory of `retention_prune_batches` rows (ledger entries of past prune transactions)."""

from __future__ import annotations

from datetime import timedelta

import factory

from infra.db.factories._base import RowFactory, later, timestamp, uuid
from infra.db.row_schemas.retention_prune_batches import RetentionPruneBatchesRowSchema
from infra.db.schema import retention_prune_batches


class RetentionPruneBatchesFactory(RowFactory[RetentionPruneBatchesRowSchema]):
    class Meta:
        model = RetentionPruneBatchesRowSchema

    _table = retention_prune_batches

    id = uuid()
    run_key = factory.Faker("uuid4")
    target = "audit_events"
    cutoff = timestamp()
    rows_deleted = factory.Faker("pyint", min_value=0, max_value=1_000)
    # A run records its batches long after the cutoff it prunes up to.
    recorded_at = later("cutoff", timedelta(days=90))
