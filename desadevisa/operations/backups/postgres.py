"""PostgreSQL: ``pg_dump --format=custom`` in the snapshot the manifest is read in, and a
restore that is checked inside its own transaction before it commits."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import psycopg
from django.utils.translation import gettext as _

from desadevisa.operations.backups.errors import BackupError
from desadevisa.operations.backups.state import (
    IDENTIFIER,
    DatabaseState,
    Progress,
    TableState,
    quote,
)

# Settings that fix how rows print as text, so a row's digest is the same on any server.
CANONICAL_SESSION = (
    "SET TIME ZONE 'UTC'",
    "SET DateStyle TO ISO, YMD",
    "SET IntervalStyle TO postgres",
    "SET extra_float_digits TO 1",
    "SET bytea_output TO hex",
)
# OPTIONS of Django's PostgreSQL backend that are not libpq connection parameters.
DJANGO_OPTIONS = {
    "assume_role",
    "context",
    "cursor_factory",
    "isolation_level",
    "pool",
    "prepare_threshold",
    "server_side_binding",
}
LIBPQ_ENVIRONMENT = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
}
VERIFIED = "desadevisa-restore-verified"
MISMATCH = "desadevisa-restore-mismatch"
CHUNK = 1 << 20


def _version_key(directory: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", directory.parent.name))


def client_program(name: str) -> str:
    """The path of a PostgreSQL client program, found as the test cluster finds the server.

    PG_BINDIR, then PATH, then ``pg_config --bindir``, then the newest
    /usr/lib/postgresql/<version>/bin.
    """
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    found = shutil.which(name)
    if found:
        candidates.append(Path(found).parent)
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            output = subprocess.run(  # noqa: S603 - pg_config found on PATH, fixed argument
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=30, check=False
            ).stdout.strip()
            if output:
                candidates.append(Path(output))
    candidates.extend(
        sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    )
    for directory in candidates:
        if os.access(directory / name, os.X_OK):
            return str(directory / name)
    raise BackupError(
        _(
            "The PostgreSQL program %(program)s was not found (PG_BINDIR, PATH, pg_config, "
            "/usr/lib/postgresql/*/bin): install the PostgreSQL client programs "
            "(apt-get install postgresql-client) or set PG_BINDIR."
        )
        % {"program": name}
    )


def checksum_query(table: str, key: tuple[str, ...]) -> str:
    """Count and digest of a table, as one SELECT: sha256 over its rows' sha256 in key order."""
    order = ", ".join(f"desadevisa_row.{quote(column)}" for column in key)
    return (
        "SELECT count(*), encode(sha256(coalesce(string_agg("  # noqa: S608 - quoted identifiers
        "sha256(convert_to(desadevisa_row::text, 'UTF8')), ''::bytea "
        f"ORDER BY {order}), ''::bytea)), 'hex') FROM {quote(table)} AS desadevisa_row"
    )


def _first_error(text: str) -> str:
    for line in text.splitlines():
        if "ERROR:" in line or "error:" in line:
            return line.split("ERROR:", 1)[-1].split("error:", 1)[-1].strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else ""


class PostgreSQLDatabase:
    vendor = "postgresql"
    member = "database.pgdump"

    def __init__(self, settings: dict[str, Any]) -> None:
        options = {
            key: value
            for key, value in (settings.get("OPTIONS") or {}).items()
            if key not in DJANGO_OPTIONS and value is not None
        }
        self.params = {
            "dbname": settings["NAME"],
            "user": settings.get("USER") or None,
            "password": settings.get("PASSWORD") or None,
            "host": settings.get("HOST") or None,
            "port": str(settings["PORT"]) if settings.get("PORT") else None,
            **options,
        }
        self.params = {key: value for key, value in self.params.items() if value is not None}

    def _connect(self) -> psycopg.Connection:
        return psycopg.connect(**self.params, connect_timeout=20)

    def _environment(self) -> dict[str, str]:
        environment = {
            name: value for name, value in os.environ.items() if not name.startswith("PG")
        }
        for key, value in self.params.items():
            if key in LIBPQ_ENVIRONMENT:
                environment[LIBPQ_ENVIRONMENT[key]] = str(value)
        if "PG_BINDIR" in os.environ:
            environment["PG_BINDIR"] = os.environ["PG_BINDIR"]
        return environment

    def _table_keys(self, cursor: psycopg.Cursor) -> dict[str, tuple[str, ...]]:
        rows = cursor.execute(
            """
            SELECT c.relname,
                   coalesce(
                     (SELECT array_agg(a.attname::text ORDER BY k.position)
                        FROM pg_index i
                        CROSS JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
                        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                       WHERE i.indrelid = c.oid AND i.indisprimary),
                     (SELECT array_agg(a.attname::text ORDER BY a.attnum)
                        FROM pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))
              FROM pg_class c
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
             ORDER BY c.relname
            """
        ).fetchall()
        return {name: tuple(key) for name, key in rows}

    def _state(self, cursor: psycopg.Cursor, progress: Progress | None) -> DatabaseState:
        for statement in CANONICAL_SESSION:
            cursor.execute(statement)
        state = DatabaseState(server_version=cursor.execute("SHOW server_version").fetchone()[0])
        keys = self._table_keys(cursor)
        for done, (table, key) in enumerate(keys.items()):
            if progress:
                progress("tables", done, len(keys))
            rows, digest = cursor.execute(checksum_query(table, key)).fetchone()
            state.tables[table] = TableState(rows=rows, sha256=digest, key=key)
        if progress:
            progress("tables", len(keys), len(keys))
        if "django_migrations" in state.tables:
            state.migrations = [
                tuple(row)
                for row in cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            ]
        return state

    def state(self) -> DatabaseState:
        with self._connect() as connection, connection.cursor() as cursor:
            return self._state(cursor, None)

    def dump(self, target: Path, progress: Progress | None) -> DatabaseState:
        """pg_dump and the manifest's counts read the same snapshot, while writes go on."""
        pg_dump = client_program("pg_dump")
        with self._connect() as connection:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            connection.read_only = True
            with connection.cursor() as cursor:
                snapshot = cursor.execute("SELECT pg_export_snapshot()").fetchone()[0]
                with tempfile.TemporaryFile() as errors:
                    # The exported snapshot lives as long as this transaction: pg_dump must
                    # have taken it before the transaction ends, so it ends after pg_dump.
                    dumping = subprocess.Popen(  # noqa: S603 - a PostgreSQL program, fixed options
                        [
                            pg_dump,
                            "--format=custom",
                            f"--snapshot={snapshot}",
                            f"--file={target}",
                            "--no-password",
                        ],
                        env=self._environment(),
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=errors,
                    )
                    try:
                        state = self._state(cursor, progress)
                    finally:
                        returncode = dumping.wait()
                    errors.seek(0)
                    output = errors.read().decode(errors="replace")
            connection.rollback()
        if returncode != 0 and "output file" in output:
            # Writing the dump failed: the same failure as writing the archive.
            raise OSError(errno.EIO, _first_error(output).rsplit(": ", 1)[-1])
        if returncode != 0:
            raise BackupError(
                _("pg_dump failed: %(reason)s") % {"reason": _first_error(output) or returncode}
            )
        return state

    def table_names(self) -> list[str]:
        with self._connect() as connection, connection.cursor() as cursor:
            return [
                name
                for (name,) in cursor.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "ORDER BY tablename"
                )
            ]

    def tables_beyond(self, limits: dict[str, int]) -> list[str]:
        """The tables holding more rows than their limit."""
        with self._connect() as connection, connection.cursor() as cursor:
            return [
                table
                for table, limit in limits.items()
                if cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {quote(table)} LIMIT %s) AS found",  # noqa: S608 - quoted names read from the database
                    (limit + 1,),
                ).fetchone()[0]
                > limit
            ]

    def _verification(self, expected: DatabaseState) -> str:
        """A DO block that raises unless every table's count and digest are the expected ones."""
        for table, found in expected.tables.items():
            if not IDENTIFIER.match(table) or not all(IDENTIFIER.match(c) for c in found.key):
                raise BackupError(
                    _("The backup names a table that cannot exist: %(table)s.") % {"table": table}
                )
            if not re.fullmatch(r"[0-9a-f]{64}", found.sha256):
                raise BackupError(
                    _("The backup's checksum of %(table)s is damaged.") % {"table": table}
                )
        tables = ", ".join(f"'{table}'" for table in sorted(expected.tables))
        checks = "".join(
            f"  {checksum_query(table, found.key)} INTO found_rows, found_digest;\n"
            f"  IF found_rows <> {int(found.rows)} OR found_digest <> '{found.sha256}' THEN\n"
            f"    RAISE EXCEPTION '{MISMATCH}' USING DETAIL = '{table}';\n"
            "  END IF;\n"
            for table, found in sorted(expected.tables.items())
        )
        session = "".join(
            f"{statement.replace('SET ', 'SET LOCAL ', 1)};\n" for statement in CANONICAL_SESSION
        )
        # Identifiers were checked against IDENTIFIER; the values are numbers and hex digests.
        return (
            "RESET search_path;\n"  # noqa: S608
            f"{session}"
            "DO $desadevisa$\n"
            "DECLARE found_rows bigint; found_digest text; found_tables text[];\n"
            "BEGIN\n"
            "  SELECT coalesce(array_agg(tablename::text ORDER BY tablename), '{}')\n"
            "    INTO found_tables FROM pg_tables WHERE schemaname = current_schema();\n"
            f"  IF found_tables <> ARRAY[{tables}]::text[] THEN\n"
            f"    RAISE EXCEPTION '{MISMATCH}'\n"
            "      USING DETAIL = array_to_string(found_tables, ', ');\n"
            "  END IF;\n"
            f"{checks}"
            "END $desadevisa$;\n"
            f"\\echo {VERIFIED}\n"
        )

    @contextlib.contextmanager
    def restoring(
        self, dump: IO[bytes], expected: DatabaseState, progress: Progress | None
    ) -> Iterator[None]:
        """Restore in one transaction that checks every table before it commits.

        pg_restore turns the dump into SQL, which psql runs inside one transaction after
        dropping the empty tables of a migrated target; the transaction then compares every
        table with the manifest and stays open while the block runs. It commits when the block
        ends without an error, and rolls back otherwise: the database is then as it was.
        """
        pg_restore, psql = client_program("pg_restore"), client_program("psql")
        verification = self._verification(expected)
        present = self.table_names()
        with tempfile.TemporaryDirectory(prefix="desadevisa-restore-") as work:
            dump_file = Path(work) / self.member
            with dump_file.open("wb") as handle:
                shutil.copyfileobj(dump, handle)
            errors_file = Path(work) / "errors"
            with errors_file.open("wb") as errors:
                session = subprocess.Popen(  # noqa: S603 - a PostgreSQL program, fixed options
                    [psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--output=/dev/null"],
                    env=self._environment(),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                )
                committed = False
                try:
                    self._send(session, "BEGIN;\n")
                    if present:
                        drop = ", ".join(quote(name) for name in present)
                        self._send(session, f"DROP TABLE IF EXISTS {drop} CASCADE;\n")
                    self._send_script(session, pg_restore, dump_file, errors)
                    if progress:
                        progress("verify", 0, 1)
                    self._send(session, verification)
                    if session.stdout.readline().decode().strip() != VERIFIED:
                        session.wait()
                        raise BackupError(self._failure(errors_file.read_text(errors="replace")))
                    if progress:
                        progress("verify", 1, 1)
                    yield
                    self._send(session, "COMMIT;\n")
                    session.stdin.close()
                    if session.wait() != 0:
                        raise BackupError(self._failure(errors_file.read_text(errors="replace")))
                    committed = True
                finally:
                    if not committed and session.poll() is None:
                        with contextlib.suppress(OSError):
                            self._send(session, "ROLLBACK;\n")
                            session.stdin.close()
                        session.wait()

    def _send(self, session: subprocess.Popen[bytes], text: str) -> None:
        try:
            session.stdin.write(text.encode())
            session.stdin.flush()
        except BrokenPipeError:
            pass

    def _send_script(
        self, session: subprocess.Popen[bytes], pg_restore: str, dump_file: Path, errors: IO[bytes]
    ) -> None:
        script = subprocess.Popen(  # noqa: S603 - a PostgreSQL program, fixed options
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--file=-",
                str(dump_file),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        with script:
            while chunk := script.stdout.read(CHUNK):
                try:
                    session.stdin.write(chunk)
                except BrokenPipeError:
                    script.kill()
                    break
        if script.returncode not in (0, -9):
            raise BackupError(
                _("pg_restore could not read the dump: %(reason)s")
                % {"reason": _first_error(Path(errors.name).read_text(errors="replace"))}
            )

    def _failure(self, output: str) -> str:
        if MISMATCH in output:
            detail = next(
                (
                    line.split("DETAIL:", 1)[1].strip()
                    for line in output.splitlines()
                    if "DETAIL:" in line
                ),
                "",
            )
            return _(
                "The restored database does not match the backup's manifest "
                "(table %(table)s); nothing was changed."
            ) % {"table": detail}
        return _("The database could not be restored: %(reason)s; nothing was changed.") % {
            "reason": _first_error(output)
        }
