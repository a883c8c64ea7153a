"""Preparing and serving the embedded default: one machine, SQLite, files on local disk."""

import errno
import socket

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
