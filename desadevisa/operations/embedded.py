"""Preparing and serving the embedded default: one machine, SQLite, files on local disk."""

import errno
import socket
import sys

from django.contrib.auth import get_user_model

from desadevisa.regions.models import Village
from desadevisa.registry.models import VillageProfile


def port_is_free(*, host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # Same option the server sets, so a port in TIME_WAIT after a restart counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def reference_is_loaded() -> bool:
    return Village.objects.exists()


def database_is_empty() -> bool:
    """No people and no village profiles: a database nobody has started to use."""
    return not get_user_model().objects.exists() and not VillageProfile.objects.exists()


def gunicorn_command(*, host: str, port: int, workers: int, task_worker: bool) -> list[str]:
    """The command line that serves the product as ``up`` does: gunicorn, threaded workers,
    and with ``task_worker`` a background-task worker started and stopped with the server."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        "--threads=4",
        "--graceful-timeout=5",
        "--access-logfile=-",
        # The control socket defaults to one path per user: two servers would fight over it.
        "--no-control-socket",
    ]
    if task_worker:
        command.append("--config=python:desadevisa.operations.server")
    return command
