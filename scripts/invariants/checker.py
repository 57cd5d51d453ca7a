"""Runs every rule over one repository: files parsed once, project-code probes in parallel."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from invariants import cache as results_cache
from invariants import probes, settings
from invariants.model import RULES, Diagnostic
from invariants.project import Project
from invariants.rules import (
    domain_events,
    drift,
    environment,
    hygiene,
    repositories,
    retention,
    sql_text,
    tables,
    triggers,
    workflows,
)
from invariants.suppressions import Suppression, apply_suppressions, find_suppressions

STATIC_RULES: tuple[tuple[frozenset[str], Callable[[Project], list[Diagnostic]]], ...] = (
    (frozenset({"DB001", "DB002", "DB003", "DB004"}), tables.check),
    (frozenset({"DB005"}), triggers.check),
    (frozenset({"RP001", "RP002", "RP003"}), repositories.check),
    (frozenset({"DE001", "DE002"}), domain_events.check),
    (frozenset({"WF001"}), workflows.check),
    (frozenset({"EN001"}), environment.check),
    (frozenset({"SQ001"}), sql_text.check),
    (frozenset({"TY001"}), hygiene.check),
)
ALWAYS = frozenset({"SP001", "IO001", "IO002"})


class CheckerCouldNotRunError(Exception):
    """The checker could not do its job (exit 2), as opposed to finding violations (exit 1)."""


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
    retention_probe: probes.Probe | None = None,
) -> Report:
    """Check the repository at `root`; `select` limits the rules (codes) that run."""
    # Every parsed tree stays alive until the end; the cyclic collector would rescan them
    # again and again while they are built (reference counting still frees garbage).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(root, offline=offline, select=select, cache=cache, probe=retention_probe)
    finally:
        if collecting:
            gc.enable()


def _run(
    root: Path,
    *,
    offline: bool,
    select: Collection[str] | None,
    cache: bool,
    probe: probes.Probe | None,
) -> Report:
    started = time.perf_counter()
    root = root.resolve()
    if not root.is_dir():
        raise CheckerCouldNotRunError(f"{root} is not a directory")
    if not (root / "packages").is_dir():
        raise CheckerCouldNotRunError(f"{root} has no packages/: not a Strata repository")
    wanted = frozenset(select or RULES) | ALWAYS
    notices: list[str] = []
    retention_probe = None
    if "RT001" in wanted:
        retention_probe = probe or probes.start_retention(root)
    elif probe is not None:
        probe.cancel()
    drift_probe = _start_drift(root, offline, wanted, notices)
    project = Project.load(root)
    found = list(project.problems)
    for codes, rule in STATIC_RULES:
        if codes & wanted:
            found += rule(project)
    if retention_probe is not None:
        found += retention.check(project, _retention_answer(root, project, retention_probe, cache))
    if drift_probe is not None:
        answer = drift_probe.result()
        if "error" in answer:
            raise CheckerCouldNotRunError(
                f"DB006 could not compare the schema: {answer['error']} (or pass --offline)"
            )
        found += drift.check(project, answer)
    valid, invalid = find_suppressions(project.texts)
    kept, silenced = apply_suppressions(
        sorted(set(d for d in found + invalid if d.code in wanted)), valid
    )
    return Report(kept, silenced, notices, len(project.texts), time.perf_counter() - started)


def _retention_answer(
    root: Path, project: Project, probe: probes.Probe, use_cache: bool
) -> dict[str, object]:
    """The probe's answer, or the one cached for exactly this code (the probe is then stopped)."""
    key = results_cache.probe_key(root, project.texts, probes.RETENTION_PROBE)
    cached = results_cache.load(root, key) if use_cache else None
    if cached is not None:
        probe.cancel()
        return cached
    answer = probe.result()
    if use_cache:
        results_cache.store(root, key, answer)
    return answer


def _start_drift(
    root: Path, offline: bool, wanted: frozenset[str], notices: list[str]
) -> probes.Probe | probes.ThrowawayDrift | None:
    if "DB006" not in wanted:
        return None
    if offline:
        notices.append("DB006 (schema drift) skipped: --offline")
        return None
    url = settings.migration_database_url()
    if url is None:
        notices.append(
            f"DB006 (schema drift): {settings.DATABASE_VARIABLE} is not set, so it runs against a "
            "throw-away PostgreSQL migrated for it (pass --offline to skip)"
        )
        return probes.start_throwaway_drift(root)
    return probes.start_drift(root, url)
