"""Copying uploads from one storage to another (``desadevisa storage-migrate``): from the local
MEDIA_ROOT into the configured bucket, each file verified by its SHA-256 after the copy.

Files keep their names, so the rows that name them need no change. A file already in the target
with the same checksum is left alone, so a second run copies nothing and an interrupted run
resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.files.storage import Storage

READ_CHUNK = 1024 * 1024


class StorageMigrateError(Exception):
    """The copy cannot go on: the target did not answer or a copy did not verify."""


@dataclass
class StorageMigrateSummary:
    copied: int = 0
    present: int = 0
    bytes_copied: int = 0
    failed: list[str] = field(default_factory=list)


def storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``folder``, depth first, in a stable order."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for name in sorted(folders):
        yield from storage_names(storage, posixpath.join(folder, name) if folder else name)


def stored_checksum(storage: Storage, name: str) -> tuple[str, int]:
    """SHA-256 (hex) and size in bytes of the stored file ``name``."""
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as stored:
        for chunk in stored.chunks(READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def storage_migrate(
    *,
    source: Storage,
    target: Storage,
    names: list[str],
    progress: Callable[[int, int], None] | None = None,
) -> StorageMigrateSummary:
    """Copy every file of ``names`` from ``source`` to ``target`` under the same name.

    A file whose copy already matches (same size and checksum) is counted as present. A target
    file that differs is replaced. Each copy is read back and compared; one that does not match
    is deleted and reported in ``failed``. Errors of the target's client propagate.
    """
    summary = StorageMigrateSummary()
    for index, name in enumerate(names, start=1):
        checksum, size = stored_checksum(source, name)
        if target.exists(name):
            if stored_checksum(target, name) == (checksum, size):
                summary.present += 1
                _report(progress, index, len(names))
                continue
            target.delete(name)
        with source.open(name, "rb") as original:
            saved = target.save(name, original)
        if saved != name or stored_checksum(target, saved) != (checksum, size):
            target.delete(saved)
            summary.failed.append(name)
        else:
            summary.copied += 1
            summary.bytes_copied += size
        _report(progress, index, len(names))
    return summary


def _report(progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
