"""The registry lists every rule module once, every code once, probed rules first."""

from __future__ import annotations

from pathlib import Path

import invariants.rules
from invariants.rule import ProbedRule
from invariants.rules import RULE_MODULES, catalogue, registered

RULES_DIRECTORY = Path(invariants.rules.__file__).parent


def test_every_rule_module_is_registered_exactly_once() -> None:
    modules = {path.stem for path in RULES_DIRECTORY.glob("*.py") if path.stem != "__init__"}
    assert sorted(RULE_MODULES) == sorted(modules)


def test_no_two_rules_declare_the_same_code() -> None:
    codes = [info.code for rule in registered() for info in rule.infos]
    assert len(codes) == len(set(codes))
    assert set(codes) <= catalogue().keys()


def test_rules_with_probes_are_registered_first_so_their_probes_start_first() -> None:
    probed = [isinstance(rule, ProbedRule) for rule in registered()]
    assert probed == sorted(probed, reverse=True)


def test_every_rule_documents_what_why_and_how_to_fix() -> None:
    infos = catalogue().values()
    assert all(info.name and info.summary and info.why and info.fix for info in infos)
