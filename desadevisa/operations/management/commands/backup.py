"""The ``backup`` command (``desadevisa backup``)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from desadevisa.operations.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive of the database (pg_dump on PostgreSQL, the online backup API on "
        "SQLite) and every uploaded file, with a manifest of counts and checksums. A failure "
        "leaves no archive behind."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            type=Path,
            dest="directory",
            help="Directory the archive is written to (default: DATA_DIR/backups).",
        )

    def handle(self, *args: Any, directory: Path | None, **options: Any) -> None:
        """Write the archive, showing progress on a terminal, then its name and contents."""
        verbose = options["verbosity"] > 0
        progress = ProgressLine(self.stdout) if verbose and self.stdout.isatty() else None
        try:
            backup = backup_create(
                directory=directory or settings.DATA_DIR / "backups", progress=progress
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        except KeyboardInterrupt:
            raise CommandError(_("Interrupted: no archive was written.")) from None
        finally:
            if progress:
                progress.show("")
        if verbose:
            manifest = backup.manifest
            self.stdout.write(
                _(
                    "Backup written to %(path)s (%(size)s): %(tables)s tables, %(rows)s rows, "
                    "%(files)s files."
                )
                % {
                    "path": backup.path,
                    "size": filesizeformat(backup.size),
                    "tables": number_format(len(manifest.state.tables), force_grouping=True),
                    "rows": number_format(manifest.state.rows, force_grouping=True),
                    "files": number_format(len(manifest.media), force_grouping=True),
                }
            )


class ProgressLine:
    """One terminal line for the stage under way, redrawn as it advances."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.width = 0

    def labels(self) -> dict[str, str]:
        return {
            "database": _("Copying the database"),
            "tables": _("Counting and checking tables"),
            "files": _("Files"),
            "archive": _("Checking the archive"),
            "verify": _("Checking the restored tables"),
        }

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = self.labels().get(stage, stage)
        percent = f" ({100 * done // total}%)" if total else ""
        self.show(
            f"{label}: {number_format(done, force_grouping=True)} / "
            f"{number_format(total, force_grouping=True)}{percent}"
        )

    def show(self, text: str) -> None:
        self.out.write(f"\r{text.ljust(self.width)}\r{text}", ending="")
        self.out.flush()
        self.width = len(text)
