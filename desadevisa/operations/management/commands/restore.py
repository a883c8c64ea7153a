"""The ``restore`` command (``desadevisa restore``)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from desadevisa.operations.backups import BackupError, backup_restore
from desadevisa.operations.management.commands.backup import ProgressLine


class Command(BaseCommand):
    help = (
        "Restore an archive written by `desadevisa backup` into an empty database and an empty "
        "file storage, checking every table and file against its manifest. A damaged archive, "
        "a target that is not empty or any difference changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive (.tar) to restore.")

    def handle(self, *args: Any, archive: Path, **options: Any) -> None:
        """Restore, showing progress on a terminal, then what was restored and checked."""
        verbose = options["verbosity"] > 0
        progress = ProgressLine(self.stdout) if verbose and self.stdout.isatty() else None
        try:
            manifest = backup_restore(archive=archive, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except KeyboardInterrupt:
            raise CommandError(_("Interrupted: nothing was changed.")) from None
        finally:
            if progress:
                progress.show("")
        if verbose:
            self.stdout.write(
                _(
                    "Restored %(path)s: %(tables)s tables with %(rows)s rows and %(files)s "
                    "files, each matching the backup's manifest."
                )
                % {
                    "path": archive,
                    "tables": number_format(len(manifest.state.tables), force_grouping=True),
                    "rows": number_format(manifest.state.rows, force_grouping=True),
                    "files": number_format(len(manifest.media), force_grouping=True),
                }
            )
