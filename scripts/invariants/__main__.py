"""`python -m invariants [--format text|json|sarif|github] [--offline] [--select CODES] [ROOT]`.

Exit 0 clean, 1 violations, 2 could not run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from invariants.checker import CheckerCouldNotRunError, run
from invariants.output import render

DEFAULT_ROOT = Path(__file__).resolve().parents[2]
FORMATS = ("text", "json", "sarif", "github")


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    select = _codes(arguments.select)
    root = arguments.root.resolve()
    if "DB006" in select and arguments.offline:
        print("error: --select DB006 needs a database; drop --offline", file=sys.stderr)
        return 2
    try:
        report = run(
            root,
            offline=arguments.offline,
            select=select or None,
            cache=not arguments.no_cache,
        )
    except CheckerCouldNotRunError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    skipped = [n for n in report.notices if "skipped" in n]
    if select and "DB006" in select and skipped:
        print(f"error: {skipped[0]}", file=sys.stderr)
        return 2
    rendered = render(report, arguments.format)
    if rendered:
        print(rendered)
    if arguments.sarif_output:
        arguments.sarif_output.write_text(render(report, "sarif") + "\n", encoding="utf-8")
    for notice in report.notices:
        print(f"note: {notice}", file=sys.stderr)
    verdict = f"{len(report.diagnostics)} violation(s)" if report.diagnostics else "clean"
    print(
        f"invariants: {verdict}, {len(report.suppressed)} suppressed, {report.files} files, "
        f"{report.seconds:.2f}s",
        file=sys.stderr,
    )
    return 1 if report.diagnostics else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m invariants", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "root",
        nargs="?",
        type=Path,
        default=DEFAULT_ROOT,
        help="repository root (default: this checkout)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--offline", action="store_true", help="skip DB006, which needs a migrated database"
    )
    parser.add_argument(
        "--select", default="", help="comma-separated rule codes to run (default: all)"
    )
    parser.add_argument("--sarif-output", type=Path, help="also write SARIF to this file")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="always re-run cached probes (RT001's; no .strata/cache)",
    )
    return parser


def _codes(raw: str) -> set[str]:
    """The codes of `--select` (the checker refuses unknown ones)."""
    return {c.strip().upper() for c in raw.split(",") if c.strip()}


if __name__ == "__main__":
    sys.exit(main())
