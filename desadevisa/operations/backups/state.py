"""What a database holds, table by table, in a form that is the same after a restore."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps

# Identifiers read back from an archive are checked against this before they reach SQL.
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")

# Stage, done, total: the commands draw it as a progress line.
Progress = Callable[[str, int, int], None]

# Tables `migrate` fills by itself, and how many rows it writes (None: any number); rows
# beyond these are data, and a database holding them is not an empty restore target.
MIGRATE_ROWS = {
    "django_migrations": None,
    "django_content_type": None,
    "auth_permission": None,
    "inquiries_privacynotice": 1,
}


@dataclass(frozen=True)
class TableState:
    """A table's row count and the sha256 over its rows' digests, read in ``key`` order."""

    rows: int
    sha256: str
    key: tuple[str, ...]


@dataclass
class DatabaseState:
    tables: dict[str, TableState] = field(default_factory=dict)
    migrations: list[tuple[str, str]] = field(default_factory=list)
    server_version: str = ""

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables.values())


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def migrate_tables() -> set[str]:
    """Every table `migrate` creates for the installed apps."""
    tables = {"django_migrations"}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return tables


class RowDigest:
    """sha256 over the sha256 of each row: one pass, constant memory."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.rows = 0

    def add(self, serialised: bytes) -> None:
        self.digest.update(hashlib.sha256(serialised).digest())
        self.rows += 1

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def state_differences(expected: DatabaseState, found: DatabaseState) -> list[str]:
    """Names of the tables whose rows differ, that are missing, or that were not expected."""

    def fingerprint(state: DatabaseState, name: str) -> tuple[int, str] | None:
        table = state.tables.get(name)
        return None if table is None else (table.rows, table.sha256)

    names = sorted(set(expected.tables) | set(found.tables))
    return [name for name in names if fingerprint(expected, name) != fingerprint(found, name)]
