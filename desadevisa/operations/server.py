"""Gunicorn settings for ``desadevisa up``: the embedded default runs its background-task worker
beside the web server, so e-mails and imports proceed with no second command.

Gunicorn loads this module (``--config python:desadevisa.operations.server``) in its master
process: the worker starts once the server is ready and stops when the server does. Production
runs ``desadevisa db-worker`` as its own service instead.
"""

import subprocess
import sys

_task_worker: subprocess.Popen | None = None


def when_ready(server) -> None:
    global _task_worker
    _task_worker = subprocess.Popen(
        [sys.executable, "-m", "desadevisa.cli", "db-worker", "--queue-name", "*", "--no-reload"]
    )
    server.log.info("Background-task worker started (pid %s)", _task_worker.pid)


def on_exit(server) -> None:
    if _task_worker is None or _task_worker.poll() is not None:
        return
    _task_worker.terminate()
    try:
        _task_worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        _task_worker.kill()
