"""The registry lists every rule module once, and every code once."""

from __future__ import annotations

from pathlib import Path

import invariants.rules
from invariants.rules import REGISTERED, RULE_MODULES, RULES

RULES_DIRECTORY = Path(invariants.rules.__file__).parent


def test_every_rule_module_is_registered_exactly_once() -> None:
    modules = {path.stem for path in RULES_DIRECTORY.glob("*.py") if path.stem != "__init__"}
    assert sorted(RULE_MODULES) == sorted(modules)


def test_no_two_rules_declare_the_same_code() -> None:
    codes = [info.code for rule in REGISTERED for info in rule.infos]
    assert len(codes) == len(set(codes))
    assert set(codes) <= RULES.keys()


def test_every_rule_documents_what_why_and_how_to_fix() -> None:
    assert all(info.name and info.summary and info.why and info.fix for info in RULES.values())
