"""Small process helpers shared by the embedded servers."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self


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
