"""SQLite: copies through the online backup API, restores into a new file moved into place."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote as url_quote

from django.utils.translation import gettext as _

from desadevisa.operations.backups.errors import BackupError
from desadevisa.operations.backups.state import (
    DatabaseState,
    Progress,
    RowDigest,
    TableState,
    quote,
    state_differences,
)

COPY_PAGES = 4096


def _table_names(connection: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\' ORDER BY name"
        )
    ]


def _table_key(connection: sqlite3.Connection, table: str) -> tuple[str, ...]:
    columns = list(connection.execute(f"PRAGMA table_info({quote(table)})"))
    key = [column[1] for column in sorted(columns, key=lambda column: column[5]) if column[5]]
    return tuple(key or (column[1] for column in columns))


def database_state(connection: sqlite3.Connection, progress: Progress | None) -> DatabaseState:
    """Count and checksum every table; a row is serialised as Python's repr of its values."""
    state = DatabaseState(server_version=sqlite3.sqlite_version)
    names = _table_names(connection)
    for done, table in enumerate(names):
        if progress:
            progress("tables", done, len(names))
        key = _table_key(connection, table)
        digest = RowDigest()
        order = ", ".join(quote(column) for column in key)
        for row in connection.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}"):  # noqa: S608 - quoted names of the database's own tables
            digest.add(repr(row).encode())
        state.tables[table] = TableState(rows=digest.rows, sha256=digest.hexdigest(), key=key)
    if progress:
        progress("tables", len(names), len(names))
    if "django_migrations" in state.tables:
        state.migrations = list(
            connection.execute("SELECT app, name FROM django_migrations ORDER BY id")
        )
    return state


class SQLiteDatabase:
    vendor = "sqlite"
    member = "database.sqlite3"

    def __init__(self, settings: dict[str, Any]) -> None:
        self.name = str(settings["NAME"])

    def _connect(self, *, read_only: bool) -> sqlite3.Connection:
        if self.name.startswith("file:"):
            return sqlite3.connect(self.name, uri=True)
        if not Path(self.name).is_file():
            raise BackupError(_("There is no database at %(path)s.") % {"path": self.name})
        mode = "ro" if read_only else "rw"
        return sqlite3.connect(f"file:{url_quote(self.name)}?mode={mode}", uri=True)

    def state(self) -> DatabaseState:
        with contextlib.closing(self._connect(read_only=True)) as connection:
            return database_state(connection, None)

    def dump(self, target: Path, progress: Progress | None) -> DatabaseState:
        """Copy the database page by page while it stays in use, then read the copy."""

        def copied(_status: int, remaining: int, total: int) -> None:
            if progress:
                progress("database", total - remaining, total)

        with (
            contextlib.closing(self._connect(read_only=True)) as source,
            contextlib.closing(sqlite3.connect(target)) as copy,
        ):
            try:
                source.backup(copy, pages=COPY_PAGES, progress=copied)
                # One self-contained file: the copy needs no -wal beside it.
                copy.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.Error as error:
                # Writing the copy failed: the same failure as writing the archive.
                if error.sqlite_errorname == "SQLITE_FULL":
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)) from None
                if error.sqlite_errorname.startswith(("SQLITE_IOERR", "SQLITE_READONLY")):
                    raise OSError(errno.EIO, str(error)) from None
                raise
            return database_state(copy, progress)

    def table_names(self) -> list[str]:
        if not self.name.startswith("file:") and not Path(self.name).exists():
            return []
        with contextlib.closing(self._connect(read_only=True)) as connection:
            return _table_names(connection)

    def tables_beyond(self, limits: dict[str, int]) -> list[str]:
        """The tables holding more rows than their limit."""
        with contextlib.closing(self._connect(read_only=True)) as connection:
            return [
                table
                for table, limit in limits.items()
                if connection.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {quote(table)} LIMIT ?)",  # noqa: S608 - quoted names read from the database
                    (limit + 1,),
                ).fetchone()[0]
                > limit
            ]

    @contextlib.contextmanager
    def restoring(
        self, dump: IO[bytes], expected: DatabaseState, progress: Progress | None
    ) -> Iterator[None]:
        """Write the copy beside the database and check it; on success move it into place.

        Until the move, the database file is untouched: an error or a difference found by the
        check leaves it as it was.
        """
        if self.name.startswith("file:"):
            raise BackupError(
                _("A restore needs a database file, not %(name)s.") % {"name": self.name}
            )
        target = Path(self.name)
        partial = target.with_name(f".{target.name}.restore-{os.getpid()}")
        try:
            with partial.open("wb") as handle:
                shutil.copyfileobj(dump, handle)
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.closing(sqlite3.connect(partial)) as connection:
                found = database_state(connection, progress)
            differences = state_differences(expected, found)
            if differences:
                raise BackupError(
                    _(
                        "The restored database does not match the backup's manifest "
                        "(table %(table)s); nothing was changed."
                    )
                    % {"table": differences[0]}
                )
            yield
            # The empty database's journal files must not be applied to the restored one.
            for suffix in ("-wal", "-shm", "-journal"):
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
