"""The registry: every rule module, one line each, in the order the catalogue lists them.

A rule module declares its `RuleInfo`s next to its check and ends with one
`RULE = Rule(...)` (or `ProbedRule(...)` when it needs a probe). Adding a rule
is that module, its name on one line below, and a fixture test.
"""

from __future__ import annotations

from importlib import import_module

from invariants.model import RuleInfo
from invariants.project import IO001, IO002
from invariants.rule import ProbedRule, Rule
from invariants.suppressions import SP001

RULE_MODULES = (
    "tables",
    "row_schemas",
    "factories",
    "triggers",
    "drift",
    "repositories",
    "domain_events",
    "event_types",
    "retention",
    "workflows",
    "environment",
    "sql_text",
    "hygiene",
)


def _registered(name: str) -> Rule | ProbedRule:
    rule = import_module(f"{__name__}.{name}").RULE
    if not isinstance(rule, Rule | ProbedRule):
        raise TypeError(f"{__name__}.{name}.RULE must be a Rule or a ProbedRule")
    return rule


REGISTERED: tuple[Rule | ProbedRule, ...] = tuple(_registered(name) for name in RULE_MODULES)
# Reported by the checker itself, whatever is selected: suppressions and unreadable files.
ALWAYS: tuple[RuleInfo, ...] = (SP001, IO001, IO002)

RULES: dict[str, RuleInfo] = {info.code: info for rule in REGISTERED for info in rule.infos} | {
    info.code: info for info in ALWAYS
}
