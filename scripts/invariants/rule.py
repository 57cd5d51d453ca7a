"""What a rule module registers: its codes with their documentation, its check, any probe.

A rule module ends with one `RULE = Rule(...)` (or `ProbedRule(...)`) and is
registered by one line in `invariants.rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invariants.model import Diagnostic, RuleInfo
from invariants.probes import Launch
from invariants.project import Project

Answer = dict[str, Any]


@dataclass(frozen=True)
class Documented:
    """The codes a rule module reports, each with what it enforces, why and how to fix it."""

    infos: tuple[RuleInfo, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(info.code for info in self.infos)


@dataclass(frozen=True)
class Rule(Documented):
    """Rules that judge the parsed files alone."""

    check: Callable[[Project], list[Diagnostic]]


@dataclass(frozen=True)
class Probe:
    """A child process a rule needs, started before the files are read so both run at once.

    `start(root, offline)` launches it (or skips it, with a notice). When
    `cached_for` is set (the probe's own code), its answer is cached per that
    code, the project's Python under packages/, uv.lock and the interpreter.
    """

    name: str
    start: Callable[[Path, bool], Launch]
    cached_for: str | None = None


@dataclass(frozen=True)
class ProbedRule(Documented):
    """Rules that also need what a probe found by running project code."""

    probe: Probe
    check: Callable[[Project, Answer], list[Diagnostic]]
