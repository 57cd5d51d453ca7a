"""RT001 (registry, defaults and committed SQL agree) and `# strata: ignore[CODE] reason`."""

from __future__ import annotations

from tests.invariants.conftest import INFRA, Tree

DEFAULTS = f"{INFRA}/system_settings_defaults.py"
REGISTRY = f"{INFRA}/retention_registry.py"
COMMITTED = "packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql"
USE_CASES = "packages/core/src/core/domains/organizations/use_cases.py"


def test_a_changed_default_without_regenerating_the_sql_is_rt001(tree: Tree) -> None:
    tree.edit(DEFAULTS, "retention_days=30", "retention_days=45")
    assert tree.findings() == [("RT001", COMMITTED, 2)]


def test_a_hand_edited_committed_sql_is_rt001(tree: Tree) -> None:
    tree.edit(COMMITTED, "DO UPDATE", "DO NOTHING --")
    assert tree.findings() == [("RT001", COMMITTED, 3)]


def test_a_default_without_a_registry_entry_is_rt001(tree: Tree) -> None:
    tree.edit(
        DEFAULTS,
        '    "domain_events": RetentionRule(enabled=True, retention_days=30),\n',
        '    "domain_events": RetentionRule(enabled=True, retention_days=30),\n'
        '    "audit_events": RetentionRule(enabled=True, retention_days=90),\n',
    )
    findings = tree.findings()
    assert ("RT001", DEFAULTS, tree.line_of(DEFAULTS, '"audit_events"')) in findings
    assert {code for code, _, _ in findings} == {"RT001"}


def test_a_registry_entry_named_differently_from_the_defaults_is_rt001(tree: Tree) -> None:
    tree.edit(REGISTRY, 'name="domain_events"', 'name="events"')
    findings = tree.findings()
    assert ("RT001", REGISTRY, tree.line_of(REGISTRY, 'name="events"')) in findings
    assert ("RT001", DEFAULTS, tree.line_of(DEFAULTS, '"domain_events"')) in findings


def test_an_unimportable_defaults_module_is_rt001(tree: Tree) -> None:
    tree.edit(DEFAULTS, "import json\n", "import json\nimport not_a_module_anywhere\n")
    assert ("RT001", DEFAULTS, 1) in tree.findings()


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
    tree.edit(DEFAULTS, "retention_days=30", "retention_days=45")
    assert tree.findings() == [("RT001", COMMITTED, 2)]
    tree.edit(DEFAULTS, "retention_days=45", "retention_days=30")
    assert tree.findings() == []
