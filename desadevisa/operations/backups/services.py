"""Back up the database and the uploaded files into one archive, and restore it."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from desadevisa.operations.backups.errors import BackupError
from desadevisa.operations.backups.media import (
    CHUNK,
    HashingReader,
    MediaFile,
    file_digest,
    is_safe_name,
    media_names,
    media_write,
)
from desadevisa.operations.backups.postgres import PostgreSQLDatabase
from desadevisa.operations.backups.sqlite import SQLiteDatabase
from desadevisa.operations.backups.state import (
    MIGRATE_ROWS,
    DatabaseState,
    Progress,
    TableState,
    migrate_tables,
    state_differences,
)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
LISTED_TABLES = 5

Database = SQLiteDatabase | PostgreSQLDatabase


@dataclass
class Manifest:
    """What an archive holds: written last into it, checked before anything is restored."""

    vendor: str
    member: str
    size: int
    sha256: str
    state: DatabaseState
    product_version: str = ""
    created_at: str = ""
    media: list[MediaFile] = field(default_factory=list)

    def as_json(self) -> bytes:
        document = {
            "format": FORMAT_VERSION,
            "product_version": self.product_version,
            "created_at": self.created_at,
            "database": {
                "vendor": self.vendor,
                "server_version": self.state.server_version,
                "member": self.member,
                "size": self.size,
                "sha256": self.sha256,
            },
            "migrations": [list(migration) for migration in self.state.migrations],
            "tables": {
                name: {"rows": table.rows, "sha256": table.sha256, "key": list(table.key)}
                for name, table in sorted(self.state.tables.items())
            },
            "media": [
                {"name": file.name, "size": file.size, "sha256": file.sha256} for file in self.media
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False).encode()


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    manifest: Manifest


def database_for(settings: dict[str, Any] | None = None) -> Database:
    """The database of a DATABASES entry (the default one when none is given)."""
    settings = settings or connections[DEFAULT_DB_ALIAS].settings_dict
    engine = settings["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return SQLiteDatabase(settings)
    if engine == "django.db.backends.postgresql":
        return PostgreSQLDatabase(settings)
    raise BackupError(
        _("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": engine}
    )


def _reason(error: BaseException) -> str:
    text = getattr(error, "strerror", None) or str(error).strip() or error.__class__.__name__
    return text.splitlines()[0]


def _product_version() -> str:
    try:
        return importlib.metadata.version("desadevisa")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), mtime, 0o600
    tar.addfile(info, io.BytesIO(data))


def _path_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return path.stat().st_size, digest.hexdigest()


def _media_add(
    tar: tarfile.TarFile, storage: Storage, mtime: float, progress: Progress | None
) -> list[MediaFile]:
    names = list(media_names(storage))
    files = []
    for done, name in enumerate(names):
        if progress:
            progress("files", done, len(names))
        try:
            info = tarfile.TarInfo(MEDIA_PREFIX + name)
            info.size, info.mtime, info.mode = storage.size(name), mtime, 0o600
            with storage.open(name, "rb") as handle:
                reader = HashingReader(handle)
                tar.addfile(info, reader)
        except FileNotFoundError as error:
            raise BackupError(
                _("The file %(name)s could not be read from the file storage: %(reason)s.")
                % {"name": name, "reason": _reason(error)}
            ) from None
        files.append(MediaFile(name=name, size=reader.size, sha256=reader.digest.hexdigest()))
    if progress:
        progress("files", len(names), len(names))
    return files


def _directory_prepare(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise BackupError(
            _("%(path)s is not a directory: --to names the directory the backup is written to.")
            % {"path": directory}
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            _("The directory %(path)s cannot be created: %(reason)s.")
            % {"path": directory, "reason": _reason(error)}
        ) from None


def _publish(partial: Path, directory: Path, name: str) -> Path:
    """Give the finished archive its name, never replacing an archive already there."""
    stem, suffix = name.removesuffix(".tar"), ".tar"
    for attempt in range(100):
        final = directory / (f"{stem}{suffix}" if attempt == 0 else f"{stem}-{attempt}{suffix}")
        try:
            os.link(partial, final)
        except FileExistsError:
            continue
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        return final
    raise FileExistsError(name)


def backup_create(
    *,
    directory: Path,
    database: dict[str, Any] | None = None,
    storage: Storage | None = None,
    progress: Progress | None = None,
) -> Backup:
    """Write one archive of the database and the file storage into ``directory``.

    The archive is built under a hidden temporary name in the directory and appears under its
    own name only when complete, so an error, a full disk or an interruption leaves nothing
    behind. Raises BackupError with the reason.
    """
    engine = database_for(database)
    storage = storage or storages["default"]
    directory = Path(directory)
    _directory_prepare(directory)
    now = timezone.now()
    mtime = now.timestamp()
    name = f"desadevisa-backup-{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}.tar"
    try:
        with tempfile.TemporaryDirectory(dir=directory, prefix=".desadevisa-backup-") as work:
            dump = Path(work) / engine.member
            state = engine.dump(dump, progress)
            size, digest = _path_digest(dump)
            partial = Path(work) / name
            # Owner-only from the start: the archive holds personal data and password hashes.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    info = tar.gettarinfo(dump, arcname=engine.member)
                    info.mtime, info.mode = mtime, 0o600
                    with dump.open("rb") as handle:
                        tar.addfile(info, handle)
                    dump.unlink()
                    manifest = Manifest(
                        vendor=engine.vendor,
                        member=engine.member,
                        size=size,
                        sha256=digest,
                        state=state,
                        product_version=_product_version(),
                        created_at=now.isoformat(),
                        media=_media_add(tar, storage, mtime, progress),
                    )
                    _add_bytes(tar, MANIFEST, manifest.as_json(), mtime)
                raw.flush()
                os.fsync(raw.fileno())
            final = _publish(partial, directory, name)
    except OSError as error:
        raise BackupError(
            _("The backup could not be written to %(path)s (%(reason)s); nothing was left there.")
            % {"path": directory, "reason": _reason(error)}
        ) from None
    except (sqlite3.Error, psycopg.Error) as error:
        raise BackupError(
            _("The database could not be read: %(reason)s.") % {"reason": _reason(error)}
        ) from None
    return Backup(path=final, size=final.stat().st_size, manifest=manifest)


def _damaged(path: Path, reason: str) -> BackupError:
    return BackupError(
        _("%(path)s is damaged or not a Desa Devisa backup (%(reason)s); nothing was changed.")
        % {"path": path, "reason": reason}
    )


def _manifest_parse(path: Path, data: bytes) -> Manifest:
    try:
        document = json.loads(data)
        version = document["format"]
        if not isinstance(version, int):
            raise TypeError(version)
    except (ValueError, KeyError, TypeError):
        raise _damaged(path, _("its manifest cannot be read")) from None
    if version > FORMAT_VERSION:
        raise BackupError(
            _(
                "%(path)s was written by a newer version of Desa Devisa (%(product)s, archive "
                "format %(found)d; this version reads format %(supported)d): restore it with "
                "that version. Nothing was changed."
            )
            % {
                "path": path,
                "product": document.get("product_version") or "?",
                "found": version,
                "supported": FORMAT_VERSION,
            }
        )
    try:
        database = document["database"]
        state = DatabaseState(
            tables={
                str(name): TableState(
                    rows=int(table["rows"]),
                    sha256=str(table["sha256"]),
                    key=tuple(str(column) for column in table["key"]),
                )
                for name, table in document["tables"].items()
            },
            migrations=[(str(app), str(name)) for app, name in document["migrations"]],
            server_version=str(database["server_version"]),
        )
        media = [
            MediaFile(name=str(file["name"]), size=int(file["size"]), sha256=str(file["sha256"]))
            for file in document["media"]
        ]
        manifest = Manifest(
            vendor=str(database["vendor"]),
            member=str(database["member"]),
            size=int(database["size"]),
            sha256=str(database["sha256"]),
            state=state,
            product_version=str(document.get("product_version", "")),
            created_at=str(document.get("created_at", "")),
            media=media,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _damaged(path, _("its manifest is incomplete")) from None
    unsafe = next((file.name for file in media if not is_safe_name(file.name)), None)
    if unsafe is not None:
        raise _damaged(path, _("it names a file outside the storage: %(name)s") % {"name": unsafe})
    return manifest


@contextlib.contextmanager
def _archive_open(
    path: Path,
) -> Iterator[tuple[tarfile.TarFile, dict[str, tarfile.TarInfo], Manifest]]:
    if not path.is_file():
        raise BackupError(_("There is no backup archive at %(path)s.") % {"path": path})
    try:
        tar = tarfile.open(path, mode="r:")  # noqa: SIM115 - closed by the `with tar` below
    except (tarfile.TarError, OSError) as error:
        raise _damaged(path, _reason(error)) from None
    with tar:
        try:
            members = {member.name: member for member in tar.getmembers()}
            if MANIFEST not in members:
                raise _damaged(path, _("it has no manifest"))
            data = tar.extractfile(members[MANIFEST]).read()
        except (tarfile.TarError, OSError, EOFError) as error:
            cut_short = "unexpected end" in str(error)
            raise _damaged(path, _("it was cut short") if cut_short else _reason(error)) from None
        yield tar, members, _manifest_parse(path, data)


def _archive_check(
    path: Path,
    tar: tarfile.TarFile,
    members: dict[str, tarfile.TarInfo],
    manifest: Manifest,
    progress: Progress | None,
) -> None:
    """Read every member against the manifest's size and checksum."""
    expected = {manifest.member: (manifest.size, manifest.sha256)}
    expected.update({MEDIA_PREFIX + f.name: (f.size, f.sha256) for f in manifest.media})
    unexpected = sorted(set(members) - set(expected) - {MANIFEST})
    if unexpected:
        raise _damaged(path, _("%(member)s is not in its manifest") % {"member": unexpected[0]})
    for done, (name, (size, sha256)) in enumerate(expected.items()):
        if progress:
            progress("archive", done, len(expected))
        if name not in members:
            raise _damaged(path, _("%(member)s is missing") % {"member": name})
        try:
            reader = HashingReader(tar.extractfile(members[name]))
            while reader.read(CHUNK):
                pass
        except (tarfile.TarError, OSError, EOFError):
            raise _damaged(path, _("%(member)s is cut short") % {"member": name}) from None
        if (reader.size, reader.digest.hexdigest()) != (size, sha256):
            raise _damaged(path, _("%(member)s does not match its checksum") % {"member": name})
    if progress:
        progress("archive", len(expected), len(expected))


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:LISTED_TABLES])
    if len(names) > LISTED_TABLES:
        return _("%(names)s and %(more)d more") % {
            "names": shown,
            "more": len(names) - LISTED_TABLES,
        }
    return shown


def _targets_check(engine: Database, storage: Storage, manifest: Manifest, path: Path) -> None:
    """Refuse a target that is not the same kind of database, not empty, or too old."""
    if manifest.vendor != engine.vendor:
        raise BackupError(
            _(
                "%(path)s is a backup of a %(found)s database and restores only into %(found)s; "
                "this installation uses %(used)s. Nothing was changed."
            )
            % {
                "path": path,
                "found": VENDOR_NAMES.get(manifest.vendor, manifest.vendor),
                "used": VENDOR_NAMES[engine.vendor],
            }
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [migration for migration in manifest.state.migrations if migration not in known]
    if unknown:
        raise BackupError(
            _(
                "%(path)s holds migrations this version of Desa Devisa does not have "
                "(%(migration)s): restore it with the version that made it (%(product)s). "
                "Nothing was changed."
            )
            % {"path": path, "migration": ".".join(unknown[0]), "product": manifest.product_version}
        )
    tables = engine.table_names()
    foreign = sorted(set(tables) - migrate_tables())
    if foreign:
        raise BackupError(
            _(
                "The database is not empty: it has tables Desa Devisa does not create "
                "(%(tables)s). Restore into a new, empty database; nothing was changed."
            )
            % {"tables": _listed(foreign)}
        )
    limits = {
        table: MIGRATE_ROWS.get(table, 0)
        for table in tables
        if MIGRATE_ROWS.get(table, 0) is not None
    }
    with_data = engine.tables_beyond(limits) if limits else []
    if with_data:
        raise BackupError(
            _(
                "The database is not empty: it holds data in %(tables)s. Restore into a new, "
                "empty database; nothing was changed."
            )
            % {"tables": _listed(with_data)}
        )
    stored = next(media_names(storage), None)
    if stored is not None:
        raise BackupError(
            _(
                "The file storage is not empty: it holds %(name)s. Restore into an empty "
                "storage; nothing was changed."
            )
            % {"name": stored}
        )


def _media_restore(
    tar: tarfile.TarFile,
    members: dict[str, tarfile.TarInfo],
    storage: Storage,
    manifest: Manifest,
    written: list[str],
    progress: Progress | None,
) -> None:
    for done, file in enumerate(manifest.media):
        if progress:
            progress("files", done, len(manifest.media))
        # Named before the write: a write that fails half-way may leave part of the file.
        written.append(file.name)
        saved = media_write(storage, file.name, tar.extractfile(members[MEDIA_PREFIX + file.name]))
        if saved != file.name:
            written.append(saved)
        if saved != file.name or file_digest(storage, saved) != (file.size, file.sha256):
            raise BackupError(
                _(
                    "The file %(name)s did not read back from the file storage as it was "
                    "written; nothing was changed."
                )
                % {"name": file.name}
            )
    if progress:
        progress("files", len(manifest.media), len(manifest.media))


def backup_restore(
    *,
    archive: Path,
    database: dict[str, Any] | None = None,
    storage: Storage | None = None,
    progress: Progress | None = None,
) -> Manifest:
    """Restore an archive into an empty database and an empty file storage.

    The archive is read whole against its manifest first; the database is then restored and
    every table compared with the manifest before anything is kept, and the files are written
    and read back while the restored data is still undecided. Any error or difference undoes
    both: the database and the storage are left as they were. Raises BackupError.
    """
    engine = database_for(database)
    storage = storage or storages["default"]
    archive = Path(archive)
    written: list[str] = []
    try:
        with _archive_open(archive) as (tar, members, manifest):
            _targets_check(engine, storage, manifest, archive)
            _archive_check(archive, tar, members, manifest, progress)
            try:
                with engine.restoring(
                    tar.extractfile(members[manifest.member]), manifest.state, progress
                ):
                    _media_restore(tar, members, storage, manifest, written, progress)
            except BaseException:
                for name in written:
                    with contextlib.suppress(OSError):
                        storage.delete(name)
                raise
    except OSError as error:
        raise BackupError(
            _("The restore failed (%(reason)s); nothing was changed.") % {"reason": _reason(error)}
        ) from None
    except (sqlite3.Error, psycopg.Error) as error:
        raise BackupError(
            _("The database could not be restored: %(reason)s; nothing was changed.")
            % {"reason": _reason(error)}
        ) from None
    return manifest


def backup_verify(*, manifest: Manifest, database: dict[str, Any] | None = None) -> list[str]:
    """The tables of a database that differ from the manifest (none: it matches)."""
    return state_differences(manifest.state, database_for(database).state())
