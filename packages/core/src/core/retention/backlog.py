"""What retention has still to do: rows past their cutoff per target, under the current policy.

The cutoffs are the ones a run started now would fix (`RetentionRule.cutoff`);
disabled and unconfigured targets have no backlog, since no run would prune them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from returns.io import IOResult, IOSuccess
from returns.iterables import Fold

from core.errors import PersistenceError
from core.retention.ports import RetentionSettingsReader, RetentionTarget


def rows_awaiting_prune(
    settings: RetentionSettingsReader, targets: Mapping[str, RetentionTarget], now: datetime
) -> IOResult[dict[str, int], PersistenceError]:
    """Per enabled target, how many rows a run started at `now` would delete."""
    return settings.get_retention_settings().bind(
        lambda policy: _counted(
            {
                name: rule.cutoff(now)
                for name, rule in policy.rules.items()
                if rule.enabled and name in targets
            },
            targets,
        )
    )


def _counted(
    cutoffs: Mapping[str, datetime], targets: Mapping[str, RetentionTarget]
) -> IOResult[dict[str, int], PersistenceError]:
    counts = (_count(name, targets[name], cutoff) for name, cutoff in cutoffs.items())
    initial: IOResult[tuple[tuple[str, int], ...], PersistenceError] = IOSuccess(())
    return Fold.collect(counts, initial).map(dict)


def _count(
    name: str, target: RetentionTarget, cutoff: datetime
) -> IOResult[tuple[str, int], PersistenceError]:
    return target.count_expired(cutoff).map(lambda expired: (name, expired))
