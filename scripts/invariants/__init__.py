"""Strata's AST invariant checker: the architecture rules of DESIGN §9, enforced in CI.

Run it as `python -m invariants` (scripts/check does). Each rule module under
`invariants.rules` declares its codes (`RuleInfo`) next to its check and is
registered by one line in `invariants/rules/__init__.py`; every file is read
and parsed once by `invariants.project`, and the parsed trees are shared by all
rules.
"""
