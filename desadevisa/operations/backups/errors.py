"""The one exception backups and restores raise: its message is the line the person reads."""


class BackupError(Exception):
    """A backup or restore cannot go on; nothing was written or changed."""
