"""Uploaded files, through Django's storage API only, so any storage backend works."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage

CHUNK = 1 << 20


@dataclass(frozen=True)
class MediaFile:
    name: str
    size: int
    sha256: str


def media_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in the storage, sorted, directories walked depth first."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(directory, name) if directory else name
    for name in sorted(directories):
        yield from media_names(storage, posixpath.join(directory, name) if directory else name)


def is_safe_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and ".." not in parts and "" not in parts


class HashingReader:
    """A file object that hashes and counts what is read through it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def file_digest(storage: Storage, name: str) -> tuple[int, str]:
    with storage.open(name, "rb") as handle:
        reader = HashingReader(handle)
        while reader.read(CHUNK):
            pass
    return reader.size, reader.digest.hexdigest()


def media_write(storage: Storage, name: str, content: IO[bytes]) -> str:
    """Save one file under exactly ``name``; returns the name the storage chose."""
    return storage.save(name, File(content, name=posixpath.basename(name)))
