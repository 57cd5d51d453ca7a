"""Rows on both sides of every retention cutoff, made with the factories (demo and tests).

Derived from the targets' declarations (`infra.db.retention.targets`): for each
target, `per_side` prunable rows are expired (older than the cutoff by
`margin`) and `per_side` are not (newer by `margin`); its exempt rows (pending
invitations, pending and processing domain events) are seeded far older than
any cutoff and added to the rows to keep, since only their state keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Connection, Table

from infra.db import factories
from infra.db.factories._base import RowFactory
from infra.db.retention.targets import RETENTION_TARGETS, AgedRow

PRUNABLE_TABLES: Mapping[str, Table] = {target.name: target.table for target in RETENTION_TARGETS}
SAMPLES = {target.name: target.sample for target in RETENTION_TARGETS}
# Far older than any cutoff: only their state keeps exempt rows.
ANCIENT = timedelta(days=3_650)


@dataclass(frozen=True)
class SeededRows:
    """Ids by logical table name: what a run must delete, and what must survive it."""

    expired: dict[str, set[UUID]] = field(default_factory=dict)
    kept: dict[str, set[UUID]] = field(default_factory=dict)

    def all_ids(self, name: str) -> set[UUID]:
        return self.expired[name] | self.kept[name]


def seed_retention_sample(
    connection: Connection,
    reference_time: datetime,
    retention_days: Mapping[str, int],
    *,
    per_side: int = 1,
    margin: timedelta = timedelta(seconds=1),
) -> SeededRows:
    """Seed around each cutoff `reference_time - retention_days[name]`."""
    seeded = SeededRows()
    for name, days in retention_days.items():
        cutoff = reference_time - timedelta(days=days)
        factory = factory_of(PRUNABLE_TABLES[name])
        sample = SAMPLES[name]
        seeded.expired[name] = set()
        seeded.kept[name] = set()
        for index in range(per_side):
            # Rotate through the prunable kinds (each final invitation status, say).
            row = sample.prunable[index % len(sample.prunable)]
            seeded.expired[name].add(_create(connection, factory, row, cutoff - margin))
            seeded.kept[name].add(_create(connection, factory, row, cutoff + margin))
        seeded.kept[name] |= {
            _create(connection, factory, row, cutoff - ANCIENT) for row in sample.exempt
        }
    return seeded


def factory_of(table: Table) -> type[RowFactory[Any]]:
    """The table's `<Table>Factory`, which DB004 guarantees exists under that name."""
    name = "".join(part.capitalize() for part in table.name.split("_")) + "Factory"
    return cast(type[RowFactory[Any]], getattr(factories, name))


def _create(
    connection: Connection, factory: type[RowFactory[Any]], row: AgedRow, at: datetime
) -> UUID:
    earlier = dict.fromkeys(row.before, at - ANCIENT)
    values = {**row.values, **earlier, row.age_column: at}
    created: UUID = factory.create(connection=connection, **values).id
    return created
