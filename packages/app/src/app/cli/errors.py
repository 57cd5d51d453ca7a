"""How `strata` ends: expected failures as one clear line on stderr, never a traceback.

Every command leaves through `os._exit` once its output is flushed: the
Temporal client's native threads can still be running while the interpreter
finalizes, which aborts the process with SIGABRT after the command has
already succeeded (temporalio/sdk-python#300). By then every engine is
disposed and every file closed, so skipping finalization loses nothing.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

import typer
from pydantic import ValidationError

from app.errors import OperatorError

EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130


def run_guarded(app: typer.Typer) -> NoReturn:
    code = _exit_code_of(app)
    _leave(code)


def _exit_code_of(app: typer.Typer) -> int:
    try:
        app()
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else EXIT_FAILURE
    except OperatorError as error:
        _report(str(error))
        return EXIT_FAILURE
    except ValidationError as error:
        _report(f"invalid configuration: {_summarize(error)}")
        return EXIT_FAILURE
    return 0


@contextmanager
def exit_on_interrupt(message: str) -> Iterator[None]:
    """Make Ctrl-C end a command that waits on Temporal at once, saying what keeps running.

    asyncio cancels its main task on the first SIGINT, and a cancelled wait on
    the Temporal client can be retried rather than abandoned; a client-side
    wait has nothing to clean up, so it stops here instead.
    """

    def interrupted(signum: int, frame: FrameType | None) -> None:
        _report(message)
        _leave(EXIT_INTERRUPTED)

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _summarize(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    )


def _report(message: str) -> None:
    print(f"strata: {message}", file=sys.stderr)


def _leave(code: int) -> NoReturn:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
