"""HTTP load from ``wrk`` against the product served as ``desadevisa up`` serves it."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import urlopen

from django.utils.translation import gettext

from desadevisa.operations.embedded import gunicorn_command

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
LATENCY = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
REQUESTS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


class WrkMissing(Exception):
    def __str__(self) -> str:
        return gettext(
            "The HTTP benchmarks need wrk, a Debian package: install it with "
            "`apt-get install wrk`, or leave the HTTP metrics out with --only."
        )


class ServerFailed(Exception):
    pass


class PageRefused(Exception):
    """A page to be measured does not answer 200: figures of a redirect or an error page
    would mean nothing (wrk counts redirects as answered)."""


@dataclass(frozen=True)
class Load:
    """What ``wrk`` measured: requests per second, latency percentiles, failed requests."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkMissing
    return path


def load_parse(output: str) -> Load:
    """The figures of ``wrk --latency`` output; errors count non-2xx/3xx answers and socket
    errors."""
    latencies = {
        percentile: float(value) * UNITS_MS[unit]
        for percentile, value, unit in LATENCY.findall(output)
    }
    requests = REQUESTS.search(output)
    if requests is None or set(latencies) != {"50", "99"}:
        raise ValueError(f"Unexpected wrk output:\n{output}")
    errors = sum(int(count) for count in NON_2XX.findall(output))
    socket_errors = SOCKET_ERRORS.search(output)
    if socket_errors:
        errors += sum(int(count) for count in socket_errors.groups())
    return Load(
        requests_per_second=float(requests.group(1)),
        p50_ms=latencies["50"],
        p99_ms=latencies["99"],
        errors=errors,
    )


def load_run(
    url: str,
    *,
    connections: int,
    seconds: float,
    headers: dict[str, str] | None = None,
    paths: Sequence[str] = (),
) -> Load:
    """Hold ``connections`` open against ``url`` for ``seconds`` with two threads.

    With ``paths``, each connection asks for them in turn (a wrk Lua script) on the server of
    ``url``; ``headers`` (a session cookie) go with every request.
    """
    command = [
        wrk_path(),
        f"--connections={connections}",
        f"--threads={min(2, connections)}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["--header", f"{name}: {value}"]
    with tempfile.TemporaryDirectory() as directory:
        if paths:
            script = Path(directory) / "rotate.lua"
            script.write_text(rotation_script(paths))
            command += ["--script", str(script)]
        result = subprocess.run(  # noqa: S603 - wrk with our own arguments
            [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
        )
    return load_parse(result.stdout)


def rotation_script(paths: Sequence[str]) -> str:
    """A wrk script asking for ``paths`` in turn, with wrk's method and headers."""
    # A JSON string of ASCII characters is a valid Lua string literal; paths are URL-encoded.
    listed = ", ".join(json.dumps(path, ensure_ascii=True) for path in paths)
    return (
        f"local paths = {{{listed}}}\n"
        "local next_path = 0\n"
        "request = function()\n"
        "  next_path = next_path % #paths + 1\n"
        "  return wrk.format(nil, paths[next_path])\n"
        "end\n"
    )


def page_answer(url: str, *, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """The status and Location header of one GET of ``url``, without following redirects."""
    parts = urlsplit(url)
    target = f"{parts.path}?{parts.query}" if parts.query else parts.path
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        client.request("GET", target, headers=headers or {})
        response = client.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        client.close()


def pages_check(
    base_url: str, paths: Sequence[str], *, headers: dict[str, str] | None = None
) -> None:
    """Raise PageRefused unless every one of ``paths`` answers 200 (which also fills the cache
    of cached pages)."""
    for path in paths:
        status, location = page_answer(f"{base_url}{path}", headers=headers)
        if status != 200:
            if location:
                message = gettext("GET %(path)s answered %(status)d (to %(location)s), not 200.")
            else:
                message = gettext("GET %(path)s answered %(status)d, not 200.")
            raise PageRefused(message % {"path": path, "status": status, "location": location})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running gunicorn: its base URL and its master's process id."""

    base_url: str
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        """The worker processes: children of the master (Linux /proc)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def peak_worker_rss_mb(self) -> float | None:
        """The largest peak resident memory (VmHWM) among the workers, in MB."""
        peaks = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                peaks.append(int(match.group(1)) / 1024)
        return max(peaks) if peaks else None


@contextmanager
def server_running(*, environment: dict[str, str], workers: int = 2) -> Iterator[Server]:
    """Gunicorn with the settings of ``up`` (no task worker) on a free local port, until the
    block ends. Static files must have been collected."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [
            *gunicorn_command(host="127.0.0.1", port=port, workers=workers, task_worker=False),
            "--access-logfile=/dev/null",
            "--log-level=warning",
        ],
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(base_url=f"http://127.0.0.1:{port}", process=process)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_healthy(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerFailed(server.process.stderr.read() if server.process.stderr else "")
        try:
            with urlopen(f"{server.base_url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (URLError, OSError):
            time.sleep(0.2)
    raise ServerFailed(gettext("The server did not answer /healthz within a minute."))
