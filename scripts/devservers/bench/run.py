"""Run every row on the stack's servers and print the table."""

from __future__ import annotations

from devservers.bench.context import bench_context
from devservers.bench.rows import measure_all
from devservers.bench.sizes import Sizes
from devservers.bench.table import render_table
from devservers.suite import console


def run_bench(environment: dict[str, str], sizes: Sizes, only: tuple[str, ...] = ()) -> bool:
    """Print the table; whether every row ran (a row that missed its goal still ran)."""
    console.rule("[bold]bench")
    with bench_context(environment, sizes) as context:
        figures = measure_all(context, only)
    console.print()
    for line in render_table(figures):
        # Plain print: the table is meant to be pasted, without rich's markup or wrapping.
        print(line, flush=True)
    return all(figure.crashed is None for figure in figures)
