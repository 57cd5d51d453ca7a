"""The bench's output: one figure per row, its goal, and the markdown table that shows them.

Pure (no I/O): the measuring modules build Figures, this module decides
whether each meets its goal and renders the table and the closing tally.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

HEADER = ("figure", "measured", "ratio", "goal", "met")


class Direction(StrEnum):
    """Which side of the bound a ratio must fall on."""

    AT_LEAST = "≥"
    AT_MOST = "≤"


_COMPARE: dict[Direction, Callable[[float, float], bool]] = {
    Direction.AT_LEAST: operator.ge,
    Direction.AT_MOST: operator.le,
}


@dataclass(frozen=True)
class Goal:
    """A bound on a ratio, e.g. `≥ 0.8`."""

    direction: Direction
    bound: float

    def met_by(self, value: float) -> bool:
        return _COMPARE[self.direction](value, self.bound)

    def __str__(self) -> str:
        return f"{self.direction} {self.bound:g}"


@dataclass(frozen=True)
class Condition:
    """A side goal of a row (a longest batch, a latency ratio): what it is, its value, its goal."""

    label: str
    value: float
    goal: Goal

    @property
    def met(self) -> bool:
        return self.goal.met_by(self.value)


@dataclass(frozen=True)
class Figure:
    """One row: the ratio against its goal, plus any side conditions the row must also meet.

    `crashed` holds the error of a row that could not be measured; such a row
    never meets its goal.
    """

    name: str
    measured: str
    ratio: float | None
    goal: Goal
    conditions: tuple[Condition, ...] = ()
    crashed: str | None = None

    @property
    def met(self) -> bool:
        if self.crashed is not None or self.ratio is None:
            return False
        return self.goal.met_by(self.ratio) and all(c.met for c in self.conditions)

    @property
    def goal_text(self) -> str:
        return "; ".join([str(self.goal), *(f"{c.label} {c.goal}" for c in self.conditions)])


def crashed_figure(name: str, goal: Goal, error: BaseException) -> Figure:
    """The row of a measurement that raised: the error in place of the figures."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
    message = f"{type(error).__name__}: {reason}" if reason else type(error).__name__
    return Figure(name, f"crashed ({message})", None, goal, crashed=message)


def render_table(figures: Sequence[Figure]) -> list[str]:
    """The markdown table, one row per figure, then `bench: K/N figures meet their goals`."""
    lines = [_row(HEADER), _row(("---", "---", "---:", "---", "---"))]
    for figure in figures:
        ratio = "—" if figure.ratio is None else f"{figure.ratio:.2f}"
        met = "yes" if figure.met else "no"
        lines.append(_row((f"`{figure.name}`", figure.measured, ratio, figure.goal_text, met)))
    # The blank line ends the table, so markdown does not read the tally as a row.
    return [*lines, "", summary_line(figures)]


def summary_line(figures: Sequence[Figure]) -> str:
    met = sum(figure.met for figure in figures)
    return f"bench: {met}/{len(figures)} figures meet their goals"


def _row(cells: Sequence[str]) -> str:
    # A pipe inside a cell (an error message, say) would split it into two columns.
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
