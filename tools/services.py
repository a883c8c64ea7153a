"""Throwaway servers on loopback for the production drill: Redis, an S3-protocol server,
HAProxy, and the product's own processes.

Standard library only (the S3 server is moto's server mode, run by the interpreter of .venv).
Each server listens on a free port of 127.0.0.1, keeps its files in a temporary directory and is
stopped when its context ends, also after a failure or Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"


class ServiceError(Exception):
    """A server could not be found, started or reached; the message says which and why."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def find_program(name: str, *candidates: str) -> str:
    """The path of ``name`` on PATH or at one of ``candidates``, else ServiceError."""
    for path in (shutil.which(name), *candidates):
        if path and os.access(path, os.X_OK):
            return path
    raise ServiceError(f"{name} not found: install it (apt-get install {name}).")


@dataclass
class Process:
    """A started server: its process, its port and the file its output goes to."""

    name: str
    process: subprocess.Popen[bytes]
    port: int | None
    log: Path

    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def output(self, lines: int = 20) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def kill(self) -> None:
        """Kill the server and every process it started at once, as a crash would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


@contextlib.contextmanager
def started(
    name: str,
    command: Sequence[str | Path],
    *,
    port: int | None,
    directory: Path,
    env: dict[str, str] | None = None,
    ready: str | None = None,
    timeout: float = 60,
) -> Iterator[Process]:
    """Start ``command`` in a process group of its own and wait until ``port`` accepts
    connections (and, with ``ready``, until that URL path answers 200); a server without a port
    is ready when it is still running a moment after its start."""
    log = directory / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - commands are built by the drill itself
            [str(part) for part in command],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    server = Process(name=name, process=process, port=port, log=log)
    try:
        wait_until_ready(server, ready=ready, timeout=timeout)
        yield server
    finally:
        server.stop()


def wait_until_ready(server: Process, *, ready: str | None, timeout: float) -> None:
    if server.port is None:
        time.sleep(2)
        if server.process.poll() is not None:
            raise ServiceError(f"{server.name} exited at start:\n{server.output()}")
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServiceError(f"{server.name} exited at start:\n{server.output()}")
        if answers(server, ready):
            return
        time.sleep(0.2)
    raise ServiceError(f"{server.name} did not answer on {server.address} in {timeout:.0f} s")


def answers(server: Process, path: str | None) -> bool:
    try:
        with socket.create_connection((LOOPBACK, server.port), timeout=1):
            pass
    except OSError:
        return False
    if path is None:
        return True
    try:
        with urllib.request.urlopen(server.url + path, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[Process]:
    """``redis-server`` on a free loopback port, without persistence."""
    program = find_program("redis-server", "/usr/bin/redis-server")
    port = free_port()
    command = [program, "--bind", LOOPBACK, "--port", str(port), "--save", "", "--appendonly"]
    command += ["no", "--dir", str(directory)]
    with started("redis", command, port=port, directory=directory) as server:
        yield server


@contextlib.contextmanager
def s3_server(directory: Path, python: Path) -> Iterator[Process]:
    """An S3-protocol server (moto's server mode) on a free loopback port."""
    port = free_port()
    command = [python, "-m", "moto.server", "-H", LOOPBACK, "-p", str(port)]
    with started("s3", command, port=port, directory=directory, ready="/moto-api/") as server:
        yield server


@contextlib.contextmanager
def haproxy(
    directory: Path, config: Path, *, backends: Sequence[Process], port: int
) -> Iterator[Process]:
    """HAProxy in the foreground with ``config`` on ``port``, its address and servers given by
    the environment variables the configuration reads."""
    program = find_program("haproxy", "/usr/sbin/haproxy")
    env = {
        **os.environ,
        "DESADEVISA_LB_BIND": f"{LOOPBACK}:{port}",
        "DESADEVISA_APP_A": backends[0].address,
        "DESADEVISA_APP_B": backends[1].address,
    }
    check = subprocess.run(  # noqa: S603
        [program, "-c", "-q", "-f", str(config)], env=env, capture_output=True, text=True
    )
    if check.returncode != 0:
        raise ServiceError(f"HAProxy refuses {config.name}:\n{check.stderr or check.stdout}")
    command = [program, "-db", "-f", str(config)]
    with started("haproxy", command, port=port, directory=directory, env=env) as server:
        yield server
