"""The checker row: a full offline invariant-checker run ÷ merely parsing the same files.

Measured by `invariants.bench` on its generated Strata-shaped repository
(wall time, best of its runs); this row only reports it next to the others.
"""

from __future__ import annotations

from devservers.bench.context import BenchContext
from devservers.bench.table import Direction, Figure, Goal
from invariants.bench import TARGET_RATIO, measure

NAME = "invariant checker vs parse"
GOAL = Goal(Direction.AT_MOST, TARGET_RATIO)


def checker_figure(context: BenchContext) -> Figure:
    tables = context.sizes.checker_tables
    checker, parse_only, violations = measure(tables, context.sizes.checker_runs)
    if violations:
        raise RuntimeError(
            f"the generated tree has {violations} violation(s); the generator is off"
        )
    measured = f"{tables} tables: checker {checker.wall:.2f} s ÷ parse {parse_only.wall:.2f} s"
    return Figure(NAME, measured, checker.wall / parse_only.wall, GOAL)
