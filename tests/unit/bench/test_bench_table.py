"""The bench's table: goals judged at their bounds, side conditions, crashed rows, the tally."""

from __future__ import annotations

from devservers.bench.table import (
    Condition,
    Direction,
    Figure,
    Goal,
    crashed_figure,
    render_table,
    summary_line,
)

AT_LEAST = Goal(Direction.AT_LEAST, 0.8)
AT_MOST = Goal(Direction.AT_MOST, 1.5)


def test_a_ratio_exactly_at_its_bound_meets_the_goal_either_way() -> None:
    assert AT_LEAST.met_by(0.8)
    assert AT_MOST.met_by(1.5)


def test_a_ratio_on_the_wrong_side_of_its_bound_misses_the_goal() -> None:
    assert not AT_LEAST.met_by(0.79)
    assert not AT_MOST.met_by(1.51)


def test_a_goal_prints_its_direction_and_bound() -> None:
    assert str(AT_LEAST) == "≥ 0.8"
    assert str(Goal(Direction.AT_MOST, 50)) == "≤ 50"


def test_a_row_whose_side_condition_misses_is_not_met_though_its_ratio_is() -> None:
    slow_batch = Condition("longest batch (ms)", 120, Goal(Direction.AT_MOST, 50))
    figure = Figure(
        "prune x vs bulk delete", "…", 0.5, Goal(Direction.AT_LEAST, 0.3), (slow_batch,)
    )

    assert not figure.met
    assert figure.goal_text == "≥ 0.3; longest batch (ms) ≤ 50"


def test_a_row_meeting_its_goal_and_every_condition_is_met() -> None:
    quick_batch = Condition("longest batch (ms)", 20, Goal(Direction.AT_MOST, 50))

    assert Figure("prune", "…", 0.5, Goal(Direction.AT_LEAST, 0.3), (quick_batch,)).met


def test_a_crashed_row_shows_its_error_and_never_meets_its_goal() -> None:
    figure = crashed_figure("decode 10k rows", AT_MOST, RuntimeError("no server\nmore detail"))

    assert not figure.met
    assert figure.ratio is None
    assert figure.measured == "crashed (RuntimeError: no server)"


def test_the_table_has_one_row_per_figure_and_ends_with_the_tally() -> None:
    figures = [
        Figure("append 8 writers / 1 aggregate", "store 1 ÷ raw 2", 0.5, AT_LEAST),
        Figure("decode 10k rows", "a | b", 1.234, AT_MOST),
    ]

    lines = render_table(figures)

    assert lines[0] == "| figure | measured | ratio | goal | met |"
    assert lines[2] == "| `append 8 writers / 1 aggregate` | store 1 ÷ raw 2 | 0.50 | ≥ 0.8 | no |"
    assert lines[3] == "| `decode 10k rows` | a \\| b | 1.23 | ≤ 1.5 | yes |"
    assert lines[-2:] == ["", "bench: 1/2 figures meet their goals"]


def test_a_crashed_row_counts_in_the_tally_as_not_met() -> None:
    figures = [crashed_figure("decode 10k rows", AT_MOST, ValueError())]

    assert summary_line(figures) == "bench: 0/1 figures meet their goals"
    assert "| — |" in render_table(figures)[2]
