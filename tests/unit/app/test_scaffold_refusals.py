"""A refused scaffold writes nothing, and a write that fails half-way leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.scaffold.checkout import PROVIDER
from app.scaffold.cli import scaffold_app
from app.scaffold.plan import FileChange, Plan
from tests.checkout_copies import copy_of_the_repository

# A table no checkout has, so these refusals are about their own reason even where
# `widgets` (the README's example) has been scaffolded for real.
FREE_NAME = "scaffold_probes"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_the_repository(tmp_path_factory.mktemp("checkout"))


@pytest.fixture
def unchanged(checkout: Path) -> Iterator[None]:
    """Asserts after the test that no file of the checkout was added, removed or changed."""
    before = snapshot(checkout)
    yield
    assert snapshot(checkout) == before


def scaffold(checkout: Path, *arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(scaffold_app, [*arguments, "--repository", str(checkout)])
    return result.exit_code, result.output


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("arguments", "exit_code", "reason"),
    [
        (["table", "organizations", "-c", "name:text"], 5, "table 'organizations' already exists"),
        (["table", "Widgets", "-c", "name:text"], 3, "not a lowercase snake_case identifier"),
        (["table", "select", "-c", "name:text"], 3, "reserved word in PostgreSQL"),
        (["table", FREE_NAME], 3, "at least one --column"),
        (["table", FREE_NAME, "-c", "name:varchar"], 3, "unknown type 'varchar'"),
        (["table", FREE_NAME, "-c", "owner_id:fk(owners)"], 4, "refers to table 'owners'"),
        (["table", FREE_NAME, "-c", "key_id:fk(system_settings)"], 3, "no uuid primary key"),
        (["table", FREE_NAME, "-c", "status:enum(a,b)", "--entity", "Invitation"], 5,
         "invitation_status"),
        (["table", "equipment", "-c", "name:text"], 3, "pass --entity"),
        (["trigger", "stamp", "--table", "nope", "--when", "BEFORE", "--events", "INSERT"],
         4, "table 'nope' is not declared"),
        (["trigger", "set_updated_at", "--table", "users", "--when", "BEFORE",
          "--events", "UPDATE"], 5, "already creates the function set_updated_at"),
        (["trigger", "stamp", "--table", "users", "--when", "INSTEAD", "--events", "UPDATE"],
         3, "not BEFORE or AFTER"),
        (["trigger", "stamp", "--table", "users", "--when", "AFTER", "--events", "TRUNCATE"],
         3, "TRUNCATE is not INSERT, UPDATE or DELETE"),
        (["trigger", "normalize_email", "--table", "organizations", "--when", "BEFORE",
          "--events", "INSERT"], 5, "normalize_email"),
    ],
)  # fmt: skip
def test_a_refused_scaffold_says_why_exits_non_zero_and_writes_nothing(
    checkout: Path, arguments: list[str], exit_code: int, reason: str
) -> None:
    code, output = scaffold(checkout, *arguments)

    assert (code, reason in output, "nothing was written" in output) == (exit_code, True, True)


def test_a_shared_file_whose_anchor_moved_is_refused_and_nothing_is_written(
    checkout: Path,
) -> None:
    provider = checkout / PROVIDER
    original = provider.read_text(encoding="utf-8")
    provider.write_text(original.replace("class SqlRepositories", "class AllRepositories"))
    try:
        before = snapshot(checkout)
        code, output = scaffold(checkout, "table", FREE_NAME, "-c", "name:text")
        assert (code, f"{PROVIDER} has no class SqlRepositories" in output) == (1, True)
        assert snapshot(checkout) == before
    finally:
        provider.write_text(original)


def test_a_write_that_fails_half_way_restores_every_file_and_removes_new_directories(
    tmp_path: Path,
) -> None:
    edited = tmp_path / "edited.py"
    edited.write_text("before\n")
    (tmp_path / "blocker").write_text("a file where a directory would have to be\n")
    plan = Plan(
        (
            FileChange("new/deeper/created.py", "created\n", created=True),
            FileChange("edited.py", "after\n", created=False),
            FileChange("blocker/impossible.sql", "never\n", created=True),
        )
    )
    before = snapshot(tmp_path)

    with pytest.raises(OSError, match="blocker"):
        plan.write(tmp_path)

    assert snapshot(tmp_path) == before
    assert not (tmp_path / "new").exists()
