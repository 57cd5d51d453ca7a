"""`scripts/bench --only TEXT` picks rows by name, and refuses a text that names none."""

from __future__ import annotations

import pytest

from devservers.bench.rows import all_rows, selected_rows
from infra.db.retention.targets import RETENTION_TARGETS


def test_without_a_selection_every_row_runs() -> None:
    assert [row.name for row in selected_rows()] == [row.name for row in all_rows()]


def test_a_text_selects_every_row_whose_name_contains_it() -> None:
    names = [row.name for row in selected_rows(("vs bulk delete",))]

    assert names == [f"prune {target.name} vs bulk delete" for target in RETENTION_TARGETS]


def test_several_texts_select_their_union_in_table_order() -> None:
    names = [row.name for row in selected_rows(("checker", "decode"))]

    assert names == ["decode 10k rows", "invariant checker vs parse"]


def test_a_text_that_names_no_row_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="'decoder'"):
        selected_rows(("decode", "decoder"))
