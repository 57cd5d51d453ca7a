"""The registry: every rule module, one line each.

A rule module declares its `RuleInfo`s next to its check and ends with one
`RULE = Rule(...)` (or `ProbedRule(...)` when it needs a probe). Adding a rule
is that module, its name on one line below, and a fixture test.

Rule modules are loaded on first use, in this order: the checker starts a
rule's probe as soon as its module is loaded, so rules with probes come first
and their children import project code while the other rules load.
"""

from __future__ import annotations

import functools
from importlib import import_module

from invariants.model import RuleInfo
from invariants.project import IO001, IO002
from invariants.rule import ProbedRule, Rule
from invariants.suppressions import SP001

RULE_MODULES = (
    "retention",
    "drift",
    "tables",
    "row_schemas",
    "factories",
    "triggers",
    "repositories",
    "domain_events",
    "event_types",
    "event_handlers",
    "workflows",
    "environment",
    "sql_text",
    "hygiene",
)
# Reported by the checker itself, whatever is selected: suppressions and unreadable files.
ALWAYS: tuple[RuleInfo, ...] = (SP001, IO001, IO002)


def load(name: str) -> Rule | ProbedRule:
    """The `RULE` of the rule module `name` (imported on first use)."""
    rule = import_module(f"{__name__}.{name}").RULE
    if not isinstance(rule, Rule | ProbedRule):
        raise TypeError(f"{__name__}.{name}.RULE must be a Rule or a ProbedRule")
    return rule


@functools.cache
def registered() -> tuple[Rule | ProbedRule, ...]:
    return tuple(load(name) for name in RULE_MODULES)


@functools.cache
def catalogue() -> dict[str, RuleInfo]:
    """Every code with its documentation, in code order (as SARIF and `--select` list them)."""
    infos = [*(info for rule in registered() for info in rule.infos), *ALWAYS]
    return {info.code: info for info in sorted(infos, key=lambda info: info.code)}
