"""A throw-away PostgreSQL cluster: temporary directory, free port, removed on exit.

Used by `scripts/test`, `scripts/demo` and the pytest fixtures whenever
`DATABASE_URL` is not set. The cluster listens on 127.0.0.1 and on a unix
socket inside its own temporary directory, trusts local connections (it holds
nothing but test data and disappears on exit) and runs as an unprivileged OS
user when we are root, because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import shutil
import signal
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

from devservers.processes import (
    EmbeddedServer,
    Identity,
    RunAs,
    ServerStartError,
    free_port,
    stop_process,
    tail,
)

SUPERUSER = "postgres"
READY_TIMEOUT_SECONDS = 30.0

# Durability is pointless for a cluster that is deleted on exit; turning it off
# makes the test suite several times faster on small CI machines.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "128MB",
    # Lets the pgTAP run prove that every trigger function actually fired.
    "track_functions": "all",
}


def find_bindir() -> Path:
    """Locate the directory holding `initdb` and `postgres`."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        )
        if result.returncode == 0:
            candidates.append(Path(result.stdout.strip()))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    versioned = glob.glob("/usr/lib/postgresql/*/bin")
    candidates.extend(sorted((Path(p) for p in versioned), key=_major_of, reverse=True))
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "postgres").is_file():
            return candidate
    raise ServerStartError(
        "PostgreSQL server binaries not found (looked at pg_config --bindir, PATH and "
        "/usr/lib/postgresql/*/bin); install the postgresql server package or set DATABASE_URL"
    )


def _major_of(bindir: Path) -> int:
    try:
        return int(bindir.parent.name)
    except ValueError:
        return 0


class EmbeddedPostgres(EmbeddedServer):
    """Context manager owning one temporary cluster for its lifetime."""

    name = "PostgreSQL"
    directory_prefix = "strata-pg-"
    log_name = "postgres.log"
    # SIGINT is PostgreSQL's "fast shutdown": roll back and exit now.
    stop_signal = signal.SIGINT
    ready_timeout = READY_TIMEOUT_SECONDS
    ready_interval = 0.1
    not_ready = "PostgreSQL did not accept connections"

    def __init__(self, bindir: Path | None = None) -> None:
        super().__init__()
        self.bindir = bindir or find_bindir()
        self.run_as = RunAs.for_servers()

    def url(self, user: str = SUPERUSER, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@{self.host}:{self.port}/{database}"

    def conninfo(self, user: str = SUPERUSER, database: str = "postgres") -> str:
        return psycopg.conninfo.make_conninfo(
            host=self.host, port=self.port, user=user, dbname=database
        )

    def create_database(self, name: str) -> None:
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    @property
    def _data_dir(self) -> Path:
        return self.root / "data"

    def _identity(self) -> Identity:
        return self.run_as.identity() if self.run_as else Identity()

    def _prepare(self) -> None:
        if self.run_as:
            self.run_as.give(self.root)
        self._initdb()

    def _initdb(self) -> None:
        command = [
            str(self.bindir / "initdb"),
            "--pgdata", str(self._data_dir),
            "--username", SUPERUSER,
            "--auth", "trust",
            "--encoding", "UTF8",
            "--locale", "C",
            "--no-sync",
            "--no-instructions",
        ]  # fmt: skip
        who = self._identity()
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, cwd=self.root,
            user=who.user, group=who.group, extra_groups=who.extra_groups,
        )  # fmt: skip
        if result.returncode != 0:
            raise ServerStartError(f"initdb failed:\n{result.stderr.strip()}")

    def restart(self) -> None:
        """Fast shutdown, then start again on the same data and port: what its clients see
        of a server restart (every connection dropped, then the server back where it was)."""
        assert self._process is not None, "PostgreSQL is not running"
        stop_process(self._process, self.stop_signal)
        self._process = None
        if not self._launch_on(self.port):
            raise ServerStartError(f"PostgreSQL did not come back:\n{tail(self._log_path)}")

    def _launch(self) -> bool:
        return self._launch_on(free_port())

    def _launch_on(self, port: int) -> bool:
        self.port = port
        command = [str(self.bindir / "postgres"), "-D", str(self._data_dir)]
        command += ["-p", str(self.port), "-k", str(self.root)]
        for name, value in SERVER_SETTINGS.items():
            command += ["-c", f"{name}={value}"]
        with open(self._log_path, "ab") as log:
            if self.run_as:
                self.run_as.give(self._log_path)
            who = self._identity()
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, cwd=self.root,
                start_new_session=True,
                user=who.user, group=who.group, extra_groups=who.extra_groups,
            )  # fmt: skip
        return self._wait_until_ready()

    def _is_ready(self) -> bool:
        try:
            with psycopg.connect(self.conninfo(), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False


def environment_for(server: EmbeddedPostgres, database: str) -> dict[str, str]:
    """The variables that point Strata's settings at a database of this cluster."""
    return {
        "MIGRATION_DATABASE_URL": server.url(SUPERUSER, database),
        "DATABASE_URL": server.url("strata_runtime", database),
        "PGHOST": server.host,
        "PGPORT": str(server.port),
        "PGUSER": SUPERUSER,
        "PGDATABASE": database,
    }
