"""RT001 (the committed SQL is what the retention declaration renders) and suppressions."""

from __future__ import annotations

import pytest

from tests.invariants.conftest import INFRA, USE_CASES, Scenario, Tree, replace, scenario

TARGETS = f"{INFRA}/retention/targets.py"
COMMITTED = "packages/infra/db/schemas/system_settings/reconcile_retention_settings.sql"
SECOND_TARGET = """    RetentionTargetDeclaration(
        name="domain_events",
        prune=prune_domain_events,
        count=count_domain_events,
        default=RetentionRule(enabled=True, retention_days=30),
    ),
"""
RETURN_FROM_CACHE = "    return cache[key]"


@pytest.mark.parametrize(
    "scenario",
    [
        scenario("the clean declaration and its committed SQL pass"),
        scenario(
            "a changed default without regenerating the SQL is RT001",
            replace(TARGETS, "retention_days=30", "retention_days=45"),
            findings=[("RT001", COMMITTED, 2)],
        ),
        scenario(
            "a hand-edited committed SQL is RT001",
            replace(COMMITTED, "DO UPDATE", "DO NOTHING --"),
            findings=[("RT001", COMMITTED, 3)],
        ),
        scenario(
            "a new target declared without regenerating the SQL is RT001",
            replace(
                TARGETS,
                SECOND_TARGET,
                SECOND_TARGET + SECOND_TARGET.replace('"domain_events"', '"audit_events"'),
            ),
            findings=[("RT001", COMMITTED, 2)],
        ),
        scenario(
            "an unimportable declaration is RT001 at the failing import",
            replace(
                TARGETS, "from typing import Any\n", "from typing import Any\nimport not_a_module\n"
            ),
            findings=[("RT001", TARGETS, "import not_a_module")],
        ),
        scenario(
            "a declaration that raises is RT001 at the raising line",
            replace(
                TARGETS,
                "default=RetentionRule(enabled=True, retention_days=30)",
                'default={"audit_events": None}["domain_events"]',
            ),
            findings=[("RT001", TARGETS, "default={")],
        ),
        scenario(
            "a suppression without a reason is SP001 and silences nothing",
            replace(
                USE_CASES,
                RETURN_FROM_CACHE,
                f"{RETURN_FROM_CACHE}  # type: ignore  # strata: ignore[TY001]",
            ),
            findings=[
                ("TY001", USE_CASES, "strata: ignore"),
                ("SP001", USE_CASES, "strata: ignore"),
            ],
        ),
        scenario(
            "a suppression of another code does not silence",
            replace(
                USE_CASES,
                RETURN_FROM_CACHE,
                f"{RETURN_FROM_CACHE}  # type: ignore  # strata: ignore[SQ001] not sql",
            ),
            findings=[("TY001", USE_CASES, "type: ignore")],
        ),
        scenario(
            "a suppression marker inside a string is not a suppression",
            replace(
                USE_CASES, '"""A use case', '"""Write # strata: ignore[CODE] to silence. A use case'
            ),
        ),
    ],
)
def test_retention_and_suppressions_report_each_change_at_its_line(
    tree: Tree, scenario: Scenario
) -> None:
    scenario.check(tree)


def test_a_target_declared_twice_is_rt001_at_its_second_declaration(tree: Tree) -> None:
    tree.edit(TARGETS, SECOND_TARGET, SECOND_TARGET + SECOND_TARGET)
    line = tree.line_of(TARGETS, 'name="domain_events"', occurrence=2)
    assert tree.findings() == [("RT001", TARGETS, line)]


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (
            RETURN_FROM_CACHE,
            f"{RETURN_FROM_CACHE}  # type: ignore  # strata: ignore[TY001] stub lacks types",
            "stub lacks types",
        ),
        (
            "    except KeyError:\n        return None",
            "    # strata: ignore[TY001] a missing key means no limit\n"
            "    except KeyError:\n        pass",
            "a missing key means no limit",
        ),
    ],
    ids=["at the end of its line", "alone on the line before"],
)
def test_a_suppression_with_a_reason_silences_its_line_and_is_listed(
    tree: Tree, old: str, new: str, reason: str
) -> None:
    tree.edit(USE_CASES, old, new)
    report = tree.check()
    assert report.diagnostics == []
    assert [(d.code, s.reason) for d, s in report.suppressed] == [("TY001", reason)]


def test_a_cached_probe_answer_never_hides_a_later_edit(tree: Tree) -> None:
    assert tree.findings() == []  # fills .strata/cache for this code
    tree.edit(TARGETS, "retention_days=30", "retention_days=45")
    assert tree.findings() == [("RT001", COMMITTED, 2)]
    tree.edit(TARGETS, "retention_days=45", "retention_days=30")
    assert tree.findings() == []
