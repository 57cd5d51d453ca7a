"""Broken inputs become diagnostics, never tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.invariants.conftest import INFRA, Tree


def test_a_python_syntax_error_is_io002_at_its_line(tree: Tree) -> None:
    tree.write(f"{INFRA}/broken.py", "def broken(:\n    pass\n")
    assert tree.findings() == [("IO002", f"{INFRA}/broken.py", 1)]


def test_a_non_utf8_file_is_io001(tree: Tree) -> None:
    path = tree.root / INFRA / "latin1.py"
    path.write_bytes(b'"""caf\xe9"""\n')
    assert tree.findings() == [("IO001", f"{INFRA}/latin1.py", 1)]


def test_an_empty_module_is_fine(tree: Tree) -> None:
    tree.write(f"{INFRA}/empty.py", "")
    assert tree.findings() == []


def test_an_empty_row_schema_module_is_reported_not_crashed_on(tree: Tree) -> None:
    tree.write(f"{INFRA}/row_schemas/organizations.py", "")
    codes = {code for code, _, _ in tree.findings()}
    assert codes == {"DB002"}


def test_a_symlink_loop_is_io001(tree: Tree) -> None:
    os.symlink("..", tree.root / INFRA / "loop")
    assert tree.findings() == [("IO001", f"{INFRA}/loop", 1)]


def test_a_self_referencing_symlink_is_io001(tree: Tree) -> None:
    os.symlink("self.py", tree.root / INFRA / "self.py")
    assert tree.findings() == [("IO001", f"{INFRA}/self.py", 1)]


def test_a_sql_test_that_does_not_parse_is_io002(tree: Tree) -> None:
    tree.write("sql_tests/organizations/broken.sql", "BEGIN;\nSELEC plan(1);\n")
    assert tree.findings() == [("IO002", "sql_tests/organizations/broken.sql", 2)]


def test_the_command_line_exits_1_without_a_traceback_on_broken_files(tree: Tree) -> None:
    tree.write(f"{INFRA}/broken.py", "def broken(:\n")
    (tree.root / INFRA / "latin1.py").write_bytes(b"x = '\xff'\n")
    os.symlink("..", tree.root / INFRA / "loop")
    result = subprocess.run(
        [sys.executable, "-m", "invariants", "--offline", str(tree.root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.count("IO00") == 3
