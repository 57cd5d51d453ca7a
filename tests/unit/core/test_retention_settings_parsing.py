"""Parsing the `retention` setting: bad entries are left out and reported, good ones kept."""

from __future__ import annotations

import pytest

from core.retention.policy import (
    RetentionRule,
    parse_retention_settings,
    parse_stored_retention_settings,
)

KNOWN = ("audit_events", "invitations", "domain_events")
GOOD = {"invitations": {"enabled": True, "retention_days": 180}}


def test_an_absent_setting_gives_no_rules_and_no_report() -> None:
    settings = parse_retention_settings(None, KNOWN)
    assert (settings.rules, settings.malformed) == ({}, ())


@pytest.mark.parametrize("raw", [None, "30 days", [1, 2], 7, True])
def test_a_stored_setting_that_is_not_an_object_is_reported_whole(raw: object) -> None:
    settings = parse_stored_retention_settings(raw, KNOWN)
    assert settings.rules == {}
    assert [entry.table for entry in settings.malformed] == ["*"]


@pytest.mark.parametrize(
    "entry",
    [
        None,
        "yes",
        [True, 30],
        {"enabled": "true", "retention_days": 30},
        {"enabled": 1, "retention_days": 30},
        {"enabled": True, "retention_days": 0},
        {"enabled": True, "retention_days": -1},
        {"enabled": True, "retention_days": 1.5},
        {"enabled": True, "retention_days": "30"},
        {"enabled": True, "retention_days": True},
        {"enabled": True, "retention_days": 10**12},
        {"enabled": True},
        {"enabled": True, "retention_days": 30, "extra": 1},
    ],
)
def test_a_malformed_entry_is_left_out_with_a_reason_and_the_good_one_kept(
    entry: object,
) -> None:
    settings = parse_retention_settings({**GOOD, "audit_events": entry}, KNOWN)
    assert settings.rules == {"invitations": RetentionRule(True, 180)}
    assert [item.table for item in settings.malformed] == ["audit_events"]
    assert settings.malformed[0].reason


def test_an_unknown_table_is_reported_not_guessed() -> None:
    settings = parse_retention_settings(
        {**GOOD, "sessions": {"enabled": True, "retention_days": 5}}, KNOWN
    )
    assert list(settings.rules) == ["invitations"]
    assert settings.malformed[0].table == "sessions"
    assert "unknown table" in settings.malformed[0].reason


def test_every_well_formed_entry_is_returned_as_a_rule() -> None:
    raw = {name: {"enabled": name != "invitations", "retention_days": 1} for name in KNOWN}
    settings = parse_retention_settings(raw, KNOWN)
    assert settings.malformed == ()
    assert settings.rules["invitations"] == RetentionRule(False, 1)
