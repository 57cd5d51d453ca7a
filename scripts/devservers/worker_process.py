"""A `strata worker` subprocess, for the demo and the workflow tests; stopped on any exit."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from devservers.processes import (
    ManagedProcess,
    ServerStartError,
    stop_process,
    tail,
    wait_until_ready,
)
from devservers.suite import REPOSITORY_ROOT, strata

READY_LINE = "worker polling"
READY_TIMEOUT_SECONDS = 60.0


class StrataWorker(ManagedProcess):
    """Starts `strata worker` with the given environment and waits until it polls."""

    def __init__(self, environment: Mapping[str, str]) -> None:
        self.environment = {**os.environ, **environment}
        self._log = Path(tempfile.mkstemp(prefix="strata-worker-", suffix=".log")[1])
        self._process: subprocess.Popen[bytes] | None = None
        self.returncode: int | None = None

    @property
    def log_path(self) -> Path:
        return self._log

    @property
    def pid(self) -> int | None:
        """The running worker's process id (Temporal names a worker `<pid>@<host>`)."""
        return None if self._process is None else self._process.pid

    def release(self) -> None:
        self._log.unlink(missing_ok=True)

    def start(self) -> None:
        already_ready = self._log.read_text(errors="replace").count(READY_LINE)
        with open(self._log, "ab") as log:
            self._process = subprocess.Popen(
                strata("worker"), env=self.environment, cwd=REPOSITORY_ROOT,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self._wait_until_polling(already_ready)

    def kill(self) -> None:
        """SIGKILL, as a crash would: no drain, no goodbye."""
        if self._process is not None:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
            self._process = None

    def stop(self) -> None:
        """SIGTERM, the clean shutdown path; `returncode` tells how it ended."""
        if self._process is not None:
            stop_process(self._process, signal.SIGTERM)
            self.returncode = self._process.returncode
            self._process = None

    def _wait_until_polling(self, seen_before: int) -> None:
        assert self._process is not None
        polling = wait_until_ready(
            self._process,
            lambda: self._log.read_text(errors="replace").count(READY_LINE) > seen_before,
            timeout=READY_TIMEOUT_SECONDS,
            interval=0.1,
            not_ready="`strata worker` did not start polling",
            log=self._log,
        )
        if not polling:
            raise ServerStartError(f"`strata worker` exited:\n{tail(self._log)}")
