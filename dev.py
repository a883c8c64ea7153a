#!/usr/bin/env python3
"""Development tasks for the Desa Devisa platform: `python3 dev.py --help` lists them.

Standard library only. Every task first makes sure `.venv` exists and holds the packages pinned
in requirements/lock.txt plus the project itself; it reinstalls only when the lock file or
pyproject.toml changed since the last install.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_BIN = VENV / "bin"
PYTHON = VENV_BIN / "python"
LOCK_FILE = ROOT / "requirements" / "lock.txt"
PYPROJECT = ROOT / "pyproject.toml"
STAMP = VENV / ".installed-from"
MINIMUM_PYTHON = (3, 11)
DATABASES = ("sqlite", "postgres")
DATABASE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


class TaskError(Exception):
    """A task cannot go on; the message is the one line the user sees."""


def say(message: str = "") -> None:
    print(message, flush=True)  # noqa: T201 - a command-line tool talks on standard output


def header(title: str) -> None:
    say(f"\n==> {title}")


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in TRUE_WORDS


def run(command: list[str | Path], *, env: dict[str, str] | None = None) -> int:
    """Run a command in the foreground and return its exit status.

    On Ctrl-C the child has received the same signal: give it a moment to finish its own
    shutdown (pytest prints what it got through), then stop it, before the interruption goes on.
    """
    # Commands are built by this file from fixed programs in .venv, never from outside input;
    # pass-through arguments only reach those programs' own parsers.
    with subprocess.Popen([str(part) for part in command], cwd=ROOT, env=env) as process:  # noqa: S603
        try:
            return process.wait()
        except KeyboardInterrupt:
            stop_child(process)
            raise


def stop_child(process: subprocess.Popen[bytes]) -> None:
    for escalate in (process.terminate, process.kill):
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            escalate()
        else:
            return


# Bootstrap -------------------------------------------------------------------------------------


def requirements_hash() -> str:
    digest = hashlib.sha256()
    for path in (LOCK_FILE, PYPROJECT):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@contextlib.contextmanager
def venv_lock() -> Iterator[None]:
    """Serialise installs when several tasks start at once."""
    with (VENV / ".install-lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def create_venv() -> None:
    if all(importlib.util.find_spec(name) for name in ("venv", "ensurepip")):
        say(f"Creating the virtual environment in {VENV.name}/")
        if run([sys.executable, "-m", "venv", VENV]) == 0:
            return
    shutil.rmtree(VENV, ignore_errors=True)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    raise TaskError(
        f"Python's venv module is not usable: install the python3-venv package "
        f"(sudo apt-get install python3-venv, or python{version}-venv), then try again."
    )


def bootstrap() -> None:
    """Create .venv if needed and install the pinned packages when the lock file changed."""
    if sys.version_info < MINIMUM_PYTHON:
        raise TaskError(
            f"Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer is needed; "
            f"this is {sys.version.split()[0]}."
        )
    if not PYTHON.exists():
        create_venv()
    wanted = requirements_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    with venv_lock():
        if STAMP.exists() and STAMP.read_text().strip() == wanted:
            return
        header("Installing the pinned packages and the project into .venv")
        pip = [PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
        if run([*pip, "-r", LOCK_FILE]) != 0:
            raise TaskError("installing requirements/lock.txt failed (see pip's output above).")
        if run([*pip, "--no-deps", "-e", ROOT]) != 0:
            raise TaskError("installing the project failed (see pip's output above).")
        STAMP.write_text(wanted + "\n")


# Tasks -------------------------------------------------------------------------------------


def task_up(args: list[str]) -> int:
    """Start the platform with its embedded defaults (arguments go to `desadevisa up`)."""
    program = VENV_BIN / "desadevisa"
    os.execv(program, [str(program), "up", *args])  # noqa: S606 - replaces this process on purpose


def task_test(args: list[str]) -> int:
    """Run the test suite on SQLite, then on a throwaway PostgreSQL cluster.

    --db sqlite|postgres|both (default both); other arguments go to pytest.
    """
    databases, pytest_args = parse_db_option(args)
    results: dict[str, str] = {}
    timings: dict[str, float] = {}
    for database in databases:
        started = time.monotonic()
        if database == "sqlite":
            header("Test suite on SQLite (in memory)")
            results[database] = outcome(run_pytest(pytest_args, database_url=""))
        else:
            results[database] = run_on_postgres(pytest_args)
        timings[database] = time.monotonic() - started

    header("Summary")
    for database in databases:
        say(f"  {DATABASE_NAMES[database]:<11} {results[database]:<8} {timings[database]:6.1f} s")
    failed = [database for database in databases if results[database] not in {"passed", "skipped"}]
    if results.get("postgres") == "skipped":
        say("  PostgreSQL was skipped: its server binaries are not installed.")
    return 1 if failed else 0


def parse_db_option(args: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """Take `--db X` or `--db=X` out of the arguments; everything else is pytest's."""
    choice = "both"
    rest: list[str] = []
    arguments = iter(args)
    for argument in arguments:
        if argument == "--":
            rest.extend(arguments)
        elif argument == "--db":
            choice = next(arguments, "")
        elif argument.startswith("--db="):
            choice = argument.removeprefix("--db=")
        else:
            rest.append(argument)
    if choice == "both":
        return DATABASES, rest
    if choice in DATABASES:
        return (choice,), rest
    raise TaskError(f"--db must be sqlite, postgres or both, not {choice!r}.")


def outcome(exit_status: int) -> str:
    """Name pytest's exit status; "no tests" (nothing collected) fails, as in pytest."""
    return {0: "passed", 5: "no tests"}.get(exit_status, "failed")


def run_pytest(pytest_args: list[str], *, database_url: str) -> int:
    """Run pytest with the given DATABASE_URL and a data directory of its own."""
    with tempfile.TemporaryDirectory(prefix="desadevisa-test-data-") as data_dir:
        env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": data_dir}
        # Uploads and collected files of the tests go to the throwaway data directory only.
        for name in ("MEDIA_ROOT", "STATIC_ROOT"):
            env.pop(name, None)
        return run([PYTHON, "-m", "pytest", *with_workers(pytest_args)], env=env)


def with_workers(pytest_args: list[str]) -> list[str]:
    """Spread the tests over one worker process per core (pytest-xdist), each with a test
    database of its own; TEST_WORKERS sets the number, and `-n` among the arguments wins."""
    chosen = any(
        argument.startswith("-n") or argument.startswith("--numprocesses")
        for argument in pytest_args
    )
    if chosen:
        return pytest_args
    workers = os.environ.get("TEST_WORKERS", "").strip() or str(os.cpu_count() or 1)
    if not workers.isdigit():
        raise TaskError(f"TEST_WORKERS must be a whole number, not {workers!r}.")
    return ["-n", workers, *pytest_args]


def run_on_postgres(pytest_args: list[str]) -> str:
    from tools import pgcluster

    header("Test suite on PostgreSQL (throwaway cluster)")
    try:
        started = time.monotonic()
        with pgcluster.throwaway_cluster() as cluster:
            say(
                f"PostgreSQL cluster ready on {cluster.host}:{cluster.port} "
                f"in {time.monotonic() - started:.1f} s ({cluster.bindir})"
            )
            return outcome(run_pytest(pytest_args, database_url=cluster.url))
    except pgcluster.BinariesNotFound as error:
        if on_ci():
            say(f"PostgreSQL run failed: {error}")
            return "failed"
        say(f"PostgreSQL run skipped: {error}")
        return "skipped"
    except pgcluster.ClusterError as error:
        say(f"PostgreSQL run failed: {error}")
        return "failed"


def task_drill(args: list[str]) -> int:
    """Run the production drill: PostgreSQL, Redis, an S3 server, a task worker and two app
    servers behind HAProxy on loopback, walked through and one server killed under load.

    Needs the PostgreSQL server binaries, redis-server and haproxy (apt-get install postgresql
    redis-server haproxy).
    """
    if args:
        raise TaskError(f"drill takes no arguments, not {' '.join(args)!r}.")
    return run([PYTHON, "-m", "tools.drill"])


def task_lint(args: list[str]) -> int:
    """Check formatting and lint rules with ruff (changes nothing)."""
    ruff = VENV_BIN / "ruff"
    formatted = run([ruff, "format", "--check", *args])
    checked = run([ruff, "check", *args])
    return formatted or checked


def task_fmt(args: list[str]) -> int:
    """Format the code and apply ruff's safe fixes."""
    ruff = VENV_BIN / "ruff"
    return run([ruff, "format", *args]) or run([ruff, "check", "--fix", *args])


def task_lock(args: list[str]) -> int:
    """Regenerate requirements/lock.txt from pyproject.toml with uv.

    Extra arguments go to `uv pip compile`, e.g. --upgrade-package django.
    """
    uv = VENV_BIN / "uv"
    if not uv.exists() and run([PYTHON, "-m", "pip", "install", "--quiet", "uv"]) != 0:
        raise TaskError("installing uv into .venv failed (see pip's output above).")
    return run(
        [
            uv,
            "pip",
            "compile",
            "pyproject.toml",
            "--extra",
            "dev",
            "--python-version",
            "3.11",
            "-o",
            LOCK_FILE.relative_to(ROOT),
            *args,
        ]
    )


TASKS: dict[str, tuple[str, Callable[[list[str]], int]]] = {
    "up": ("up [ARGS...]", task_up),
    "test": ("test [--db sqlite|postgres|both] [PYTEST ARGS...]", task_test),
    "drill": ("drill", task_drill),
    "lint": ("lint [PATHS...]", task_lint),
    "fmt": ("fmt [PATHS...]", task_fmt),
    "lock": ("lock [UV ARGS...]", task_lock),
}


def usage() -> str:
    lines = ["usage: python3 dev.py TASK [ARGS...]", "", "tasks:"]
    for synopsis, function in TASKS.values():
        summary, _, details = (function.__doc__ or "").partition("\n")
        lines.append(f"  {synopsis}")
        lines.append(f"      {summary.strip()}")
        lines.extend(f"      {line.strip()}" for line in details.strip().splitlines())
    lines += [
        "",
        "Each task first creates .venv when missing and installs requirements/lock.txt and the",
        "project when the lock file or pyproject.toml changed. Examples:",
        "  python3 dev.py up --port 8001",
        "  python3 dev.py test --db sqlite desadevisa/regions -k village",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        say(usage())
        return 0
    task = TASKS.get(argv[0])
    if task is None:
        say(f"dev.py: unknown task {argv[0]!r}.\n\n{usage()}")
        return 2

    # A polite stop (SIGTERM, e.g. from a CI timeout) unwinds like Ctrl-C, so the throwaway
    # PostgreSQL cluster is stopped and deleted.
    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        bootstrap()
        return task[1](argv[1:])
    except TaskError as error:
        say(f"dev.py: {error}")
        return 1
    except KeyboardInterrupt:
        say("\ndev.py: interrupted.")
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
