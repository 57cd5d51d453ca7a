"""The registry: every rule module, one line each, in the order the catalogue lists them.

A rule module declares its `RuleInfo`s next to its check and ends with one
`RULE = Rule(...)` (or `ProbedRule(...)` when it needs a probe); adding a rule
is that module, one line below and a fixture test.
"""

from __future__ import annotations

from invariants.model import RuleInfo
from invariants.project import IO001, IO002
from invariants.rule import ProbedRule, Rule
from invariants.rules import (
    domain_events,
    drift,
    environment,
    event_types,
    factories,
    hygiene,
    repositories,
    retention,
    row_schemas,
    sql_text,
    tables,
    triggers,
    workflows,
)
from invariants.suppressions import SP001

REGISTERED: tuple[Rule | ProbedRule, ...] = (
    tables.RULE,
    row_schemas.RULE,
    factories.RULE,
    triggers.RULE,
    drift.RULE,
    repositories.RULE,
    domain_events.RULE,
    event_types.RULE,
    retention.RULE,
    workflows.RULE,
    environment.RULE,
    sql_text.RULE,
    hygiene.RULE,
)
# Reported by the checker itself, whatever is selected: suppressions and unreadable files.
ALWAYS: tuple[RuleInfo, ...] = (SP001, IO001, IO002)

RULES: dict[str, RuleInfo] = {info.code: info for rule in REGISTERED for info in (*rule.infos,)} | {
    info.code: info for info in ALWAYS
}
