"""Retention policy: how long each prunable table keeps its rows, read from system settings.

The setting named by RETENTION_SETTING_KEY holds one JSON object mapping a
logical table name to `{"enabled": bool, "retention_days": int >= 1}`. Entries
that do not match are left out and reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

RETENTION_SETTING_KEY = "retention_settings"
MAX_RETENTION_DAYS = 36_500  # a century; larger values are typos, not policies


@dataclass(frozen=True)
class RetentionRule:
    """Whether a table is pruned, and how many days its rows are kept."""

    enabled: bool
    retention_days: int

    def cutoff(self, now: datetime) -> datetime:
        """Rows created (or completed) strictly before this instant are expired."""
        return now - timedelta(days=self.retention_days)


@dataclass(frozen=True)
class MalformedRetentionEntry:
    """An entry of the retention setting that was left out, and why."""

    table: str
    reason: str


@dataclass(frozen=True)
class RetentionSettings:
    """The usable rules, plus every entry that was left out with its reason."""

    rules: Mapping[str, RetentionRule]
    malformed: tuple[MalformedRetentionEntry, ...] = ()


WHOLE_SETTING = "*"


def parse_retention_settings(raw: object, known_tables: Collection[str]) -> RetentionSettings:
    """Decode the JSON value of the retention setting; `None` means the key is absent."""
    if raw is None:
        return RetentionSettings(rules={})
    if not isinstance(raw, Mapping):
        return _not_an_object(type(raw).__name__)
    rules: dict[str, RetentionRule] = {}
    malformed: list[MalformedRetentionEntry] = []
    for table, entry in raw.items():
        problem = _problem_with(str(table), entry, known_tables)
        if problem is None:
            rules[table] = RetentionRule(entry["enabled"], entry["retention_days"])
        else:
            malformed.append(MalformedRetentionEntry(str(table), problem))
    return RetentionSettings(rules=rules, malformed=tuple(malformed))


def parse_stored_retention_settings(
    raw: object, known_tables: Collection[str]
) -> RetentionSettings:
    """Decode a stored retention setting: here `None` is a stored JSON null, reported."""
    if raw is None:
        return _not_an_object("null")
    return parse_retention_settings(raw, known_tables)


def _not_an_object(got: str) -> RetentionSettings:
    reason = f"expected an object of tables, got {got}"
    return RetentionSettings(rules={}, malformed=(MalformedRetentionEntry(WHOLE_SETTING, reason),))


def _problem_with(table: str, entry: object, known_tables: Collection[str]) -> str | None:
    if table not in known_tables:
        return f"unknown table (known: {', '.join(sorted(known_tables))})"
    if not isinstance(entry, Mapping):
        return f"expected an object, got {type(entry).__name__}"
    unexpected = set(entry) - {"enabled", "retention_days"}
    if unexpected:
        return f"unexpected keys: {', '.join(sorted(map(str, unexpected)))}"
    return _value_problem(entry.get("enabled"), entry.get("retention_days"))


def _value_problem(enabled: object, days: object) -> str | None:
    if not isinstance(enabled, bool):
        return f"enabled must be true or false, got {enabled!r}"
    # bool is an int subclass in Python; `true` is not a number of days.
    if isinstance(days, bool) or not isinstance(days, int):
        return f"retention_days must be a whole number, got {days!r}"
    if not 1 <= days <= MAX_RETENTION_DAYS:
        return f"retention_days must be between 1 and {MAX_RETENTION_DAYS}, got {days}"
    return None
