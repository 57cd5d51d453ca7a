"""Every row of the bench, in table order, and running them one after the other.

A row that raises becomes a crashed row (its error in place of the figures)
and the others still run: one broken measurement must not hide the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from devservers.bench import append, checker, decode, outbox, prune, workflow
from devservers.bench.context import BenchContext
from devservers.bench.sizes import AGGREGATE_COUNTS
from devservers.bench.table import Figure, Goal, crashed_figure
from devservers.suite import console
from infra.db.retention.targets import RETENTION_TARGETS


@dataclass(frozen=True)
class Row:
    """A row's name and goal (known before it runs, for a crash) and how to measure it."""

    name: str
    goal: Goal
    measure: Callable[[BenchContext], Figure]


def all_rows() -> list[Row]:
    rows = [
        Row(append.row_name(count), append.GOAL, partial(append.append_figure, aggregates=count))
        for count in AGGREGATE_COUNTS
    ]
    rows.append(Row(decode.NAME, decode.GOAL, decode.decode_figure))
    for target in RETENTION_TARGETS:
        rows += [
            Row(prune.linearity_name(target), prune.LINEARITY_GOAL,
                partial(prune.linearity, declaration=target)),
            Row(prune.vs_bulk_name(target), prune.VS_BULK_GOAL,
                partial(prune.versus_bulk, declaration=target)),
        ]  # fmt: skip
    rows.append(Row(workflow.NAME, workflow.GOAL, workflow.workflow_figure))
    rows.append(Row(checker.NAME, checker.GOAL, checker.checker_figure))
    # Idle first: the others' busy work would land in its statistics (see outbox.idle_figure).
    rows += [
        Row(outbox.IDLE_NAME, outbox.IDLE_GOAL, outbox.idle_figure),
        Row(outbox.THROUGHPUT_NAME, outbox.THROUGHPUT_GOAL, outbox.throughput_figure),
        Row(outbox.LATENCY_NAME, outbox.LATENCY_GOAL, outbox.latency_figure),
    ]
    return rows


def selected_rows(only: tuple[str, ...] = ()) -> list[Row]:
    """Every row, or those whose name contains one of `only` (to re-measure a few).

    Raises:
        ValueError: a text that names no row, so a typo does not measure nothing.
    """
    rows = all_rows()
    unknown = [text for text in only if not any(text in row.name for row in rows)]
    if unknown:
        raise ValueError(f"no bench row's name contains {', '.join(map(repr, unknown))}")
    return [row for row in rows if not only or any(text in row.name for text in only)]


def measure_all(context: BenchContext, only: tuple[str, ...] = ()) -> list[Figure]:
    figures = []
    for row in selected_rows(only):
        started = time.monotonic()
        try:
            figure = row.measure(context)
        except Exception as error:  # noqa: BLE001 - reported as the row's result
            figure = crashed_figure(row.name, row.goal, error)
        console.print(f"{row.name}: {figure.measured} ({time.monotonic() - started:.1f} s)")
        figures.append(figure)
    return figures
