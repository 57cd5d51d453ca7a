"""Expected failures become one clear line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from app.errors import OperatorError

EXIT_FAILURE = 1


def run_guarded(app: typer.Typer) -> None:
    try:
        app()
    except OperatorError as error:
        _fail(str(error))
    except ValidationError as error:
        _fail(f"invalid configuration: {_summarize(error)}")


def _summarize(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    )


def _fail(message: str) -> None:
    print(f"strata: {message}", file=sys.stderr)
    sys.exit(EXIT_FAILURE)
