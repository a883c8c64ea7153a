"""Backups: one archive of the database and the uploaded files, and its checked restore."""

from desadevisa.operations.backups.errors import BackupError
from desadevisa.operations.backups.services import (
    FORMAT_VERSION,
    Backup,
    Manifest,
    backup_create,
    backup_restore,
    backup_verify,
    database_for,
)

__all__ = [
    "FORMAT_VERSION",
    "Backup",
    "BackupError",
    "Manifest",
    "backup_create",
    "backup_restore",
    "backup_verify",
    "database_for",
]
