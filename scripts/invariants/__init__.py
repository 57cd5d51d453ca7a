"""Strata's AST invariant checker: the architecture rules of DESIGN §9, enforced in CI.

Run it as `python -m invariants` (scripts/check does). Every rule lives in
`invariants.rules`; every file is read and parsed once by `invariants.project`
and the parsed trees are shared by all rules.
"""
