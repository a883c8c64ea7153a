"""A throwaway PostgreSQL cluster for the test suite and the benchmarks.

Standard library only, so the task runner can use it before any package is installed::

    with pgcluster.throwaway_cluster() as cluster:
        os.environ["DATABASE_URL"] = cluster.url

The cluster lives in a fresh temporary directory, listens on a free port of 127.0.0.1 (its
socket stays in that directory), runs without fsync, and is stopped and deleted on the way
out, also after an error or Ctrl-C. initdb refuses to run as root, so as root the server runs
as an unprivileged system user: ``postgres`` when it exists, else ``nobody``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "desadevisa"
DEFAULT_DATABASE = "desadevisa"
START_ATTEMPTS = 3

# Durability is worthless for a cluster deleted after the run; these make it much faster.
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "log_min_messages": "warning",
}


class ClusterError(Exception):
    """The throwaway cluster could not be created, started or prepared."""


class BinariesNotFound(ClusterError):
    """No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found."""

    def __init__(self) -> None:
        super().__init__(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH, through "
            "`pg_config --bindir` or under /usr/lib/postgresql/*/bin; on Debian or Ubuntu "
            "install them with `apt-get install postgresql`, or set PG_BINDIR."
        )


@dataclass(frozen=True)
class Cluster:
    directory: Path
    bindir: Path
    port: int
    database: str
    host: str = "127.0.0.1"
    user: str = SUPERUSER

    @property
    def url(self) -> str:
        """The DATABASE_URL of the cluster's database (trust authentication, no password)."""
        return f"postgres://{self.user}@{self.host}:{self.port}/{self.database}"


def _has_server_binaries(directory: Path) -> bool:
    return all(os.access(directory / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres"))


def _version_key(directory: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", directory.parent.name))


def find_bindir() -> Path | None:
    """Return the directory holding initdb and pg_ctl, or None when PostgreSQL is not installed.

    Looks at PG_BINDIR, then PATH, then ``pg_config --bindir``, then the newest
    /usr/lib/postgresql/<version>/bin (where Debian and Ubuntu put the server).
    """
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            output = _run([pg_config, "--bindir"]).stdout.strip()
            if output:
                candidates.append(Path(output))
    candidates.extend(
        sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    )
    return next((path for path in candidates if _has_server_binaries(path)), None)


def server_user() -> pwd.struct_passwd | None:
    """Return the unprivileged account the server must run as, or None when not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise ClusterError("running as root, but neither a `postgres` nor a `nobody` user exists.")


def _as_user(account: pwd.struct_passwd | None, command: list[str]) -> list[str]:
    if account is None:
        return command
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", account.pw_name, "--", *command]
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [
            setpriv,
            f"--reuid={account.pw_uid}",
            f"--regid={account.pw_gid}",
            "--init-groups",
            "--",
            *command,
        ]
    raise ClusterError("running as root, but neither runuser nor setpriv is available.")


def _run(command: list[str], *, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # Every command is built here from absolute paths of the PostgreSQL installation, never
    # from outside input.
    return subprocess.run(  # noqa: S603
        command, cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def _check(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise ClusterError(f"{what} failed (exit status {result.returncode}):\n{output}")


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def throwaway_cluster(
    *, database: str = DEFAULT_DATABASE, bindir: Path | None = None
) -> Iterator[Cluster]:
    """Create, start and yield a cluster with an empty ``database``; stop and delete it after.

    Raises BinariesNotFound when PostgreSQL is not installed, ClusterError when initdb, the
    server or createdb fail (with their output).
    """
    bindir = bindir or find_bindir()
    if bindir is None:
        raise BinariesNotFound
    account = server_user()
    directory = Path(tempfile.mkdtemp(prefix="desadevisa-pg-"))
    data = directory / "data"
    started = False
    try:
        if account is not None:
            os.chown(directory, account.pw_uid, account.pw_gid)
        _check(
            _run(
                _as_user(
                    account,
                    [
                        str(bindir / "initdb"),
                        f"--pgdata={data}",
                        f"--username={SUPERUSER}",
                        "--auth=trust",
                        "--encoding=UTF8",
                        "--no-locale",
                        "--no-sync",
                    ],
                ),
                cwd=directory,
            ),
            "initdb",
        )
        settings = {**SERVER_SETTINGS, "unix_socket_directories": f"'{directory}'"}
        with (data / "postgresql.conf").open("a") as conf:
            conf.write("".join(f"{name} = {value}\n" for name, value in settings.items()))
        port = _start(bindir, account, directory)
        started = True
        cluster = Cluster(directory=directory, bindir=bindir, port=port, database=database)
        _create_database(cluster)
        yield cluster
    finally:
        if started:
            _run(
                _as_user(
                    account,
                    [str(bindir / "pg_ctl"), f"--pgdata={data}", "--mode=immediate", "stop"],
                ),
                cwd=directory,
            )
        shutil.rmtree(directory, ignore_errors=True)


def _start(bindir: Path, account: pwd.struct_passwd | None, directory: Path) -> int:
    """Start the server on a free port and return the port.

    Another process may take the port between the probe and the server's bind: try again on a
    new port a few times.
    """
    log = directory / "server.log"
    for _attempt in range(START_ATTEMPTS):
        port = free_port()
        result = _run(
            _as_user(
                account,
                [
                    str(bindir / "pg_ctl"),
                    f"--pgdata={directory / 'data'}",
                    f"--log={log}",
                    f"--options=-p {port}",
                    "--wait",
                    "--timeout=60",
                    "start",
                ],
            ),
            cwd=directory,
        )
        if result.returncode == 0:
            return port
    server_log = log.read_text(errors="replace") if log.exists() else ""
    raise ClusterError(
        f"the PostgreSQL server did not start ({START_ATTEMPTS} attempts):\n"
        f"{result.stdout}{result.stderr}{server_log}".strip()
    )


def _create_database(cluster: Cluster) -> None:
    createdb = cluster.bindir / "createdb"
    if not os.access(createdb, os.X_OK):
        createdb = Path(shutil.which("createdb") or "createdb")
    _check(
        _run(
            [
                str(createdb),
                f"--host={cluster.host}",
                f"--port={cluster.port}",
                f"--username={cluster.user}",
                cluster.database,
            ]
        ),
        "createdb",
    )
