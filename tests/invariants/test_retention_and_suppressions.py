"""RT001 (the committed SQL is what the retention declaration renders) and suppressions."""

from __future__ import annotations

from tests.invariants.conftest import INFRA, Tree

TARGETS = f"{INFRA}/retention/targets.py"
COMMITTED = "packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql"
USE_CASES = "packages/core/src/core/domains/organizations/use_cases.py"
SECOND_TARGET = """    RetentionTargetDeclaration(
        name="domain_events",
        prune=prune_domain_events,
        count=count_domain_events,
        default=RetentionRule(enabled=True, retention_days=30),
    ),
"""


def test_the_clean_declaration_and_its_committed_sql_pass(tree: Tree) -> None:
    assert tree.findings() == []


def test_a_changed_default_without_regenerating_the_sql_is_rt001(tree: Tree) -> None:
    tree.edit(TARGETS, "retention_days=30", "retention_days=45")
    assert tree.findings() == [("RT001", COMMITTED, 2)]


def test_a_hand_edited_committed_sql_is_rt001(tree: Tree) -> None:
    tree.edit(COMMITTED, "DO UPDATE", "DO NOTHING --")
    assert tree.findings() == [("RT001", COMMITTED, 3)]


def test_a_new_target_declared_without_regenerating_the_sql_is_rt001(tree: Tree) -> None:
    tree.edit(
        TARGETS,
        SECOND_TARGET,
        SECOND_TARGET + SECOND_TARGET.replace('"domain_events"', '"audit_events"'),
    )
    assert tree.findings() == [("RT001", COMMITTED, 2)]


def test_a_target_declared_twice_is_rt001_at_its_second_declaration(tree: Tree) -> None:
    tree.edit(TARGETS, SECOND_TARGET, SECOND_TARGET + SECOND_TARGET)
    line = tree.line_of(TARGETS, 'name="domain_events"', occurrence=2)
    assert tree.findings() == [("RT001", TARGETS, line)]


def test_an_unimportable_declaration_is_rt001_at_the_failing_import(tree: Tree) -> None:
    tree.edit(TARGETS, "from typing import Any\n", "from typing import Any\nimport not_a_module\n")
    assert tree.findings() == [("RT001", TARGETS, tree.line_of(TARGETS, "import not_a_module"))]


def test_a_declaration_that_raises_is_rt001_at_the_raising_line(tree: Tree) -> None:
    tree.edit(
        TARGETS,
        "default=RetentionRule(enabled=True, retention_days=30)",
        'default={"audit_events": None}["domain_events"]',
    )
    assert tree.findings() == [("RT001", TARGETS, tree.line_of(TARGETS, "default={"))]


def test_a_suppression_with_a_reason_silences_its_line_and_is_listed(tree: Tree) -> None:
    tree.edit(
        USE_CASES,
        "    return cache[key]",
        "    return cache[key]  # type: ignore  # strata: ignore[TY001] stub lacks types",
    )
    report = tree.check()
    assert report.diagnostics == []
    assert [(d.code, s.reason) for d, s in report.suppressed] == [("TY001", "stub lacks types")]


def test_a_suppression_without_a_reason_is_sp001_and_silences_nothing(tree: Tree) -> None:
    tree.edit(
        USE_CASES,
        "    return cache[key]",
        "    return cache[key]  # type: ignore  # strata: ignore[TY001]",
    )
    line = tree.line_of(USE_CASES, "strata: ignore")
    assert tree.findings() == [("TY001", USE_CASES, line), ("SP001", USE_CASES, line)]


def test_a_suppression_alone_on_its_line_covers_the_next_line(tree: Tree) -> None:
    tree.edit(
        USE_CASES,
        "    except KeyError:\n        return None",
        "    # strata: ignore[TY001] a missing key means no limit\n"
        "    except KeyError:\n        pass",
    )
    report = tree.check()
    assert report.diagnostics == []
    assert [d.code for d, _ in report.suppressed] == ["TY001"]


def test_a_suppression_of_another_code_does_not_silence(tree: Tree) -> None:
    tree.edit(
        USE_CASES,
        "    return cache[key]",
        "    return cache[key]  # type: ignore  # strata: ignore[SQ001] not sql",
    )
    assert tree.findings() == [("TY001", USE_CASES, tree.line_of(USE_CASES, "type: ignore"))]


def test_a_suppression_marker_inside_a_string_is_not_a_suppression(tree: Tree) -> None:
    tree.edit(USE_CASES, '"""A use case', '"""Write # strata: ignore[CODE] to silence. A use case')
    assert tree.findings() == []


def test_a_cached_probe_answer_never_hides_a_later_edit(tree: Tree) -> None:
    assert tree.findings() == []  # fills .strata/cache for this code
    tree.edit(TARGETS, "retention_days=30", "retention_days=45")
    assert tree.findings() == [("RT001", COMMITTED, 2)]
    tree.edit(TARGETS, "retention_days=45", "retention_days=30")
    assert tree.findings() == []
