"""Runs every registered rule over one repository: files parsed once, probes in parallel."""

from __future__ import annotations

import gc
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from invariants import cache as results_cache
from invariants.model import CheckerCouldNotRunError, Diagnostic
from invariants.probes import Launch, Running
from invariants.project import Project
from invariants.rule import Answer, Probe, ProbedRule, Rule
from invariants.rules import ALWAYS, RULE_MODULES, catalogue, load
from invariants.suppressions import Suppression, apply_suppressions, find_suppressions

__all__ = ["CheckerCouldNotRunError", "Report", "run"]


@dataclass
class Report:
    diagnostics: list[Diagnostic]
    suppressed: list[tuple[Diagnostic, Suppression]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0


def run(
    root: Path,
    *,
    offline: bool = False,
    select: Collection[str] | None = None,
    cache: bool = True,
) -> Report:
    """Check the repository at `root`; `select` limits the rules (codes) that run."""
    # Every parsed tree stays alive until the end; the cyclic collector would rescan them
    # again and again while they are built (reference counting still frees garbage).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(root, offline=offline, select=select, cache=cache)
    finally:
        if collecting:
            gc.enable()


def _run(root: Path, *, offline: bool, select: Collection[str] | None, cache: bool) -> Report:
    started = time.perf_counter()
    root = root.resolve()
    if not root.is_dir():
        raise CheckerCouldNotRunError(f"{root} is not a directory")
    if not (root / "packages").is_dir():
        raise CheckerCouldNotRunError(f"{root} has no packages/: not a Strata repository")
    selected = frozenset(select) if select else None
    unknown = sorted(selected - catalogue().keys()) if selected else []
    if unknown:
        raise CheckerCouldNotRunError(f"unknown rule code(s): {', '.join(unknown)}")
    launches: dict[ProbedRule, Launch] = {}
    chosen: list[Rule | ProbedRule] = []
    # Each probe starts as soon as its rule module is loaded (they are registered first), so
    # its child imports project code while this process loads the other rules and parses.
    for name in RULE_MODULES:
        rule = load(name)
        if selected is None or rule.codes & selected:
            chosen.append(rule)
            if isinstance(rule, ProbedRule):
                launches[rule] = rule.probe.start(root, offline)
    wanted = (selected or frozenset(catalogue())) | {info.code for info in ALWAYS}
    notices = [launch.notice for launch in launches.values() if launch.notice]
    project = Project.load(root)
    found = list(project.problems)
    for rule in chosen:
        if isinstance(rule, Rule):
            found += rule.check(project)
    for probed, launch in launches.items():
        if launch.running is not None:
            answer = _answer(root, project, probed.probe, launch.running, cache)
            found += probed.check(project, answer)
    valid, invalid = find_suppressions(project.texts, catalogue().keys())
    kept, silenced = apply_suppressions(
        sorted(set(d for d in found + invalid if d.code in wanted)), valid
    )
    return Report(kept, silenced, notices, len(project.texts), time.perf_counter() - started)


def _answer(
    root: Path, project: Project, probe: Probe, running: Running, use_cache: bool
) -> Answer:
    """The probe's answer, or the one cached for exactly this code (the probe is then stopped)."""
    if probe.cached_for is None or not use_cache:
        return running.result()
    key = results_cache.probe_key(root, project.texts, probe.cached_for)
    cached = results_cache.load(root, probe.name, key)
    if cached is not None:
        running.cancel()
        return cached
    answer = running.result()
    results_cache.store(root, probe.name, key, answer)
    return answer
