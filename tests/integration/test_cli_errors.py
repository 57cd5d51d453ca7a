"""`strata db …` explains an unreachable or unconfigured database in one line."""

from __future__ import annotations

from devservers.processes import free_port
from tests.integration.cli_runner import run_strata


def test_migrate_against_a_closed_port_names_host_and_port_in_one_line() -> None:
    port = free_port()
    url = f"postgresql://postgres@127.0.0.1:{port}/strata"
    result = run_strata("db", "migrate", DATABASE_URL=url, MIGRATION_DATABASE_URL=url)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert f"127.0.0.1:{port}" in result.stderr
    assert "refused" in result.stderr.lower()
    assert "Traceback" not in result.stderr


def test_migrate_without_an_owner_url_says_which_variable_is_missing() -> None:
    result = run_strata("db", "migrate", DATABASE_URL="postgresql://app@127.0.0.1:1/strata")
    assert result.returncode == 1
    assert "MIGRATION_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_database_url_is_reported_as_configuration() -> None:
    result = run_strata("db", "migrate", DATABASE_URL="not a url")
    assert result.returncode == 1
    assert "invalid configuration" in result.stderr
    assert "DATABASE_URL" in result.stderr
