"""The console script as a person runs it: a separate process with its own environment."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

DESADEVISA = str(Path(sys.executable).with_name("desadevisa"))


def run(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **{name: value for name, value in os.environ.items() if name != "SITE_URL"},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": "",
        **env,
    }
    return subprocess.run(
        [DESADEVISA, *args], env=environment, capture_output=True, text=True, timeout=120
    )


def test_unknown_database_scheme_gives_one_clear_line(tmp_path):
    result = run("check", data_dir=tmp_path, DATABASE_URL="mysql://user@db.example/desadevisa")

    assert result.returncode == 2
    assert result.stderr == (
        "desadevisa: DATABASE_URL must be a postgres:// or sqlite:// address, not mysql.\n"
    )


def test_unreachable_database_gives_one_clear_line(tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"postgres://nobody@127.0.0.1:{port}/desadevisa"

    result = run(
        "migrate", data_dir=tmp_path, DATABASE_URL=url, SITE_URL="https://desadevisa.example.go.id"
    )

    assert result.returncode == 2
    assert result.stderr.startswith("desadevisa: the database cannot be reached: ")
    assert result.stderr.count("\n") == 1


def test_commands_are_named_with_dashes(tmp_path):
    result = run("load-reference", "--help", data_dir=tmp_path)

    assert result.returncode == 0
    assert "usage: desadevisa load_reference" in result.stdout


def test_up_on_a_port_in_use_says_so_and_changes_nothing(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run("up", "--port", str(port), data_dir=tmp_path, LANGUAGE_CODE="en")

    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert not (tmp_path / "desadevisa.sqlite3").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_until_healthy(port: int, data_dir: Path) -> tuple[subprocess.Popen, float]:
    environment = {
        **{name: value for name, value in os.environ.items() if name != "SITE_URL"},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": "",
    }
    started = time.monotonic()
    server = subprocess.Popen(
        [DESADEVISA, "up", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = started + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"desadevisa up exited early:\n{server.stdout.read()}")
        try:
            with urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server, time.monotonic() - started
        except OSError:
            time.sleep(0.5)
    server.kill()
    pytest.fail("desadevisa up did not answer /healthz in time")


def ready_status(port: int) -> int:
    """What /readyz answers once the task worker had time to start (30 s at most)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
                return response.status
        except HTTPError as error:
            if time.monotonic() > deadline:
                return error.code
        time.sleep(1)


def stop(server: subprocess.Popen) -> tuple[int, str]:
    server.send_signal(signal.SIGINT)
    output, _ = server.communicate(timeout=30)
    return server.returncode, output


def row_counts(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "desadevisa.sqlite3") as database:
        tables = [
            name
            for (name,) in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="up serves the embedded SQLite default; the SQLite run covers it",
)
def test_up_serves_the_demo_and_a_second_start_changes_nothing(tmp_path):
    port = free_port()

    server, first_start = serve_until_healthy(port, tmp_path)
    with urlopen(f"http://127.0.0.1:{port}/id/", timeout=10) as response:
        home = response.read().decode()
    with urlopen(f"http://127.0.0.1:{port}/sitemap.xml", timeout=10) as response:
        sitemap = response.read().decode()
    ready = ready_status(port)
    returncode, output = stop(server)

    assert "Minggirsari" in home
    # The public address is the one served, unless SITE_URL says otherwise.
    assert f"<loc>http://127.0.0.1:{port}/" in sitemap
    # Its background-task worker beats, so the server reports itself ready.
    assert ready == 200
    assert returncode == 0
    assert "demo-jatim" in output
    assert "Background-task worker started" in output
    counts = row_counts(tmp_path)
    assert counts["regions_village"] > 83_000

    server, second_start = serve_until_healthy(port, tmp_path)
    stop(server)

    assert row_counts(tmp_path) == counts
    # Against the first start on the same machine, not the clock: the first loads 83,762
    # villages and the demo, the second only checks that they are there.
    assert second_start < first_start
