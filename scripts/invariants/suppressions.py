"""Per-line suppressions: `# strata: ignore[CODE] reason` (or `-- strata: ignore[...]` in SQL).

A suppression silences the listed codes on its own line, or, when the comment
stands alone on its line, on the next line (for statements such as multi-line
strings where a trailing comment cannot go). It must give a reason; one without
a reason (or naming an unknown code) is itself a diagnostic (SP001) and
silences nothing. Only real comments count, not text inside strings.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from invariants.model import Diagnostic, RuleInfo

MARKER = "strata:"
PATTERN = re.compile(r"(?:#|--)\s*strata:\s*ignore\[(?P<codes>[^\]]*)\](?P<reason>.*)$")
REASON = re.compile(r"\w{2,}")


@dataclass(frozen=True)
class Suppression:
    path: str
    line: int
    codes: frozenset[str]
    reason: str


SP001 = RuleInfo(
    "SP001",
    "suppression-needs-reason",
    "A `# strata: ignore[CODE] reason` suppression names known codes and gives a reason.",
    "A suppression is a decision someone must be able to review.",
    "Write why the rule does not apply after the closing bracket.",
)


def find_suppressions(
    texts: Mapping[str, str], known: Collection[str]
) -> tuple[dict[tuple[str, int], Suppression], list[Diagnostic]]:
    """Valid suppressions by (path, line), and SP001 diagnostics for the invalid ones.

    `known` is every registered rule code; a suppression naming another is invalid.
    """
    valid: dict[tuple[str, int], Suppression] = {}
    problems: list[Diagnostic] = []
    for path, text in texts.items():
        if MARKER not in text:
            continue
        for number, column, comment, alone in _comments(path, text):
            match = PATTERN.search(comment)
            if match is None:
                continue
            codes = frozenset(c.strip() for c in match["codes"].split(",") if c.strip())
            reason = match["reason"].strip()
            problem = _problem(codes, reason, known)
            if problem:
                problems.append(Diagnostic(path, number, column + match.start(), "SP001", problem))
                continue
            for line in (number, number + 1) if alone else (number,):
                valid[(path, line)] = Suppression(path, number, codes, reason)
    return valid, problems


def _comments(path: str, text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(line, 1-based column, comment text, comment alone on its line) for marked comments."""
    lines = text.splitlines()
    if not path.endswith(".py"):
        for number, line in enumerate(lines, start=1):
            start = line.find("--")
            if start >= 0 and MARKER in line[start:]:
                yield number, start + 1, line[start:], not line[:start].strip()
        return
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and MARKER in token.string:
                row, column = token.start
                alone = not lines[row - 1][:column].strip()
                yield row, column + 1, token.string, alone
    except (tokenize.TokenError, SyntaxError):
        return


def _problem(codes: frozenset[str], reason: str, known: Collection[str]) -> str | None:
    if not codes:
        return "suppression names no code: write `# strata: ignore[CODE] reason`"
    unknown = sorted(c for c in codes if c not in known)
    if unknown:
        return f"suppression names unknown code(s) {', '.join(unknown)}: use a code from the README"
    if not REASON.search(reason):
        return "suppression without a reason: say why after `]`, e.g. `# strata: ignore[CODE] why`"
    return None


def apply_suppressions(
    diagnostics: Iterable[Diagnostic], suppressions: Mapping[tuple[str, int], Suppression]
) -> tuple[list[Diagnostic], list[tuple[Diagnostic, Suppression]]]:
    """Split diagnostics into those that stand and those silenced (with their suppression)."""
    kept: list[Diagnostic] = []
    silenced: list[tuple[Diagnostic, Suppression]] = []
    for diagnostic in diagnostics:
        suppression = suppressions.get((diagnostic.path, diagnostic.line))
        if suppression and diagnostic.code in suppression.codes and diagnostic.code != "SP001":
            silenced.append((diagnostic, suppression))
        else:
            kept.append(diagnostic)
    return kept, silenced
