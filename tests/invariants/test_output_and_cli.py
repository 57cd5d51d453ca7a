"""Output formats, exit codes, the real repository, and the benchmark helper."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from invariants.bench import build_tree
from invariants.checker import run
from invariants.output import render
from invariants.rules import catalogue
from tests.invariants.conftest import Tree

REPOSITORY = Path(__file__).resolve().parents[2]
USE_CASES = "packages/core/src/core/domains/organizations/use_cases.py"


def broken(tree: Tree) -> int:
    tree.edit(USE_CASES, "    except KeyError:\n", "    except:\n")
    return tree.line_of(USE_CASES, "except:")


def cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invariants", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )


def test_text_output_is_path_line_column_code_message(tree: Tree) -> None:
    line = broken(tree)
    assert render(tree.check(), "text").startswith(f"{USE_CASES}:{line}:5: TY001 bare `except:`")


def test_json_output_lists_every_diagnostic(tree: Tree) -> None:
    line = broken(tree)
    document = json.loads(render(tree.check(), "json"))
    assert document["diagnostics"] == [
        {
            "path": USE_CASES,
            "line": line,
            "column": 5,
            "code": "TY001",
            "message": document["diagnostics"][0]["message"],
        }
    ]
    assert document["summary"]["violations"] == 1


def test_sarif_output_has_what_code_scanning_requires(tree: Tree) -> None:
    line = broken(tree)
    document = json.loads(render(tree.check(), "sarif"))
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-schema-2.1.0.json")
    (sarif_run,) = document["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(catalogue())
    assert all(rule["shortDescription"]["text"] and rule["help"]["text"] for rule in rules)
    (result,) = sarif_run["results"]
    assert result["ruleId"] == "TY001"
    assert rules[result["ruleIndex"]]["id"] == "TY001"
    assert result["level"] == "error"
    assert result["message"]["text"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == USE_CASES
    assert location["region"] == {"startLine": line, "startColumn": 5}


def test_github_output_is_one_error_annotation_per_diagnostic(tree: Tree) -> None:
    line = broken(tree)
    lines = render(tree.check(), "github").splitlines()
    (annotation,) = [line for line in lines if line.startswith("::error")]
    assert annotation.startswith(f"::error file={USE_CASES},line={line},col=5,title=TY001::bare")


def test_the_command_line_exits_0_when_clean(tree: Tree) -> None:
    result = cli("--offline", str(tree.root))
    assert (result.returncode, result.stdout) == (0, "")


def test_the_command_line_exits_1_on_violations(tree: Tree) -> None:
    broken(tree)
    result = cli("--offline", "--format", "json", str(tree.root))
    assert result.returncode == 1
    assert json.loads(result.stdout)["summary"]["violations"] == 1


def test_the_command_line_exits_2_when_it_cannot_run(tmp_path: Path) -> None:
    assert cli("--offline", str(tmp_path / "missing")).returncode == 2
    assert cli("--offline", str(tmp_path)).returncode == 2  # no packages/
    assert cli("--select", "XX999", str(tmp_path)).returncode == 2


def test_offline_skips_db006_with_a_notice(tree: Tree) -> None:
    result = cli("--offline", str(tree.root))
    assert "DB006 (schema drift) skipped: --offline" in result.stderr


def test_this_repository_is_clean() -> None:
    report = run(REPOSITORY, offline=True)
    assert [d.render() for d in report.diagnostics] == []


def test_the_benchmark_tree_generator_builds_a_clean_repository(tmp_path: Path) -> None:
    build_tree(tmp_path, 5)
    report = run(tmp_path, offline=True)
    assert report.diagnostics == []
    assert report.files == 5 * 8 + 10
