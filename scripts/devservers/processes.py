"""Small process helpers shared by the embedded servers."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self


class ManagedProcess:
    """Context-manager protocol for things that start() and stop(), stopping even a failed start."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
        self.release()

    def release(self) -> None:
        """Remove what outlives stop() but not the context (a log kept for post-mortems)."""


class EmbeddedServer(ManagedProcess):
    """A server process that lives in a temporary directory of its own; stop() removes both.

    Subclasses name themselves, say how to launch (on fresh ports) and how to tell
    that the server is ready; starting retries a launch that lost its port.
    """

    name: ClassVar[str]
    directory_prefix: ClassVar[str]
    log_name: ClassVar[str]
    stop_signal: ClassVar[int] = signal.SIGTERM
    ready_timeout: ClassVar[float]
    ready_interval: ClassVar[float]
    not_ready: ClassVar[str]

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self._root: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def root(self) -> Path:
        if self._root is None:
            raise RuntimeError(f"{self.name} has not been started")
        return self._root

    def start(self) -> None:
        self._root = Path(tempfile.mkdtemp(prefix=self.directory_prefix))
        self._prepare()
        start_with_retries(self._launch, self.name, self._log_path)

    def stop(self) -> None:
        if self._process is not None:
            stop_process(self._process, self.stop_signal)
            self._process = None
        remove_tree(self._root)
        self._root = None

    @property
    def _log_path(self) -> Path:
        return self.root / self.log_name

    def _prepare(self) -> None:
        """Set up the directory before the first launch (nothing by default)."""

    def _launch(self) -> bool:
        """Start the process on fresh ports; True once ready, False if it exited early."""
        raise NotImplementedError

    def _is_ready(self) -> bool:
        raise NotImplementedError

    def _wait_until_ready(self) -> bool:
        assert self._process is not None
        ready = wait_until_ready(
            self._process, self._is_ready, timeout=self.ready_timeout,
            interval=self.ready_interval, not_ready=self.not_ready, log=self._log_path,
        )  # fmt: skip
        if not ready:
            self._process = None
        return ready


class ServerStartError(RuntimeError):
    """A server we launched did not come up; the message carries its log tail."""


@dataclass(frozen=True)
class Identity:
    """Arguments for subprocess: None everywhere means "run as ourselves"."""

    user: int | None = None
    group: int | None = None
    extra_groups: list[int] | None = None


@dataclass(frozen=True)
class RunAs:
    """The OS identity a server runs under (root is not allowed to run PostgreSQL)."""

    uid: int
    gid: int
    name: str

    @classmethod
    def for_servers(cls) -> RunAs | None:
        """Return an unprivileged user when invoked as root, otherwise None (run as ourselves)."""
        if os.geteuid() != 0:
            return None
        for candidate in ("postgres", "nobody"):
            try:
                entry = pwd.getpwnam(candidate)
            except KeyError:
                continue
            return cls(uid=entry.pw_uid, gid=entry.pw_gid, name=candidate)
        raise ServerStartError(
            "running as root, but neither a 'postgres' nor a 'nobody' user exists to run servers as"
        )

    def identity(self) -> Identity:
        # An empty supplementary group list drops root's groups in the child.
        return Identity(user=self.uid, group=self.gid, extra_groups=[])

    def give(self, path: Path) -> None:
        os.chown(path, self.uid, self.gid)


START_ATTEMPTS = 3


def start_with_retries(launch: Callable[[], bool], what: str, log: Path) -> None:
    """Call `launch` (which picks fresh ports) until it succeeds; a port taken between
    choosing and binding it is the usual reason for a failed attempt."""
    for _ in range(START_ATTEMPTS):
        if launch():
            return
    raise ServerStartError(f"{what} did not start; last lines of its log:\n{tail(log)}")


def wait_until_ready(
    process: subprocess.Popen[bytes],
    is_ready: Callable[[], bool],
    *,
    timeout: float,
    interval: float,
    not_ready: str,
    log: Path,
) -> bool:
    """Poll `is_ready` until it holds (True) or the process exits (False, so the caller retries).

    A process that stays up but never gets ready is a real failure: raise with
    `not_ready`, the timeout and the log's tail.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if is_ready():
            return True
        time.sleep(interval)
    raise ServerStartError(f"{not_ready} within {timeout:.0f}s:\n{tail(log)}")


def remove_tree(root: Path | None) -> None:
    if root is not None:
        shutil.rmtree(root, ignore_errors=True)


def free_port() -> int:
    """Ask the kernel for a free loopback port (a tiny race remains; callers retry)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def stop_process(process: subprocess.Popen[bytes], sig: int, timeout: float = 15.0) -> None:
    """Send `sig` to the process group, then SIGKILL it if it outlives `timeout`."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
