"""Rendering: Jinja2 templates for new files, ruff for the layout of every Python file.

Ruff runs on the text in memory (stdin), from the checkout's root so its
configuration applies; the generated Python is therefore formatted, import-sorted
and lint-clean before anything is written.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Final

import jinja2

from app.scaffold.errors import ScaffoldRefusedError
from app.scaffold.wrapping import sql_strings

TEMPLATES: Final = Path(__file__).parent / "templates"

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,  # noqa: S701 - renders Python and SQL, never HTML
)
_environment.filters["sql_strings"] = sql_strings


def render(template: str, **context: object) -> str:
    """The template `templates/<template>` rendered with `context`."""
    return _environment.get_template(template).render(**context)


def ruff_python(root: Path, relative: str, source: str) -> str:
    """`source` as `ruff check --fix` and `ruff format` leave it, judged as `relative`.

    Raises:
        ScaffoldRefusedError: ruff is missing or something it cannot fix remains.
    """
    # Format first: the lint must see the lines as they will be written (E501).
    formatted = _ruff(root, relative, source, "format", "--quiet")
    fixed = _ruff(root, relative, formatted, "check", "--fix", "--quiet")
    return _ruff(root, relative, fixed, "format", "--quiet")


def _ruff(root: Path, relative: str, source: str, *arguments: str) -> str:
    command = [sys.executable, "-m", "ruff", *arguments, "--stdin-filename", relative, "-"]
    try:
        done = subprocess.run(  # noqa: S603 - a fixed command on our own interpreter
            command, input=source, capture_output=True, text=True, cwd=root, check=False
        )
    except OSError as error:
        raise ScaffoldRefusedError(f"cannot run ruff: {error}", "broken") from error
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        raise ScaffoldRefusedError(
            f"ruff {arguments[0]} refused the generated {relative}:\n{detail}", "broken"
        )
    return done.stdout
