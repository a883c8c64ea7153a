"""The ``storage_migrate`` command (``desadevisa storage-migrate``)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from desadevisa.core.storage import STORAGE_ERRORS
from desadevisa.operations.storage_migrate import storage_migrate, storage_names

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Copy uploaded files from the local media directory into the configured bucket "
        "(S3_BUCKET), verifying each by its checksum. Files already copied are skipped, so it "
        "is safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            default=None,
            help="Directory to copy from (default: MEDIA_ROOT).",
        )

    def handle(self, *args: Any, source: Path | None, **options: Any) -> None:
        """Copy, verify and print one summary line; a failure ends in a one-line CommandError."""
        location = (source or Path(settings.MEDIA_ROOT)).resolve()
        target = storages["default"]
        if isinstance(target, FileSystemStorage):
            raise CommandError(
                _("No bucket is configured (S3_BUCKET): uploads are already stored on disk.")
            )
        if not location.is_dir():
            raise CommandError(_("%(path)s is not a directory.") % {"path": location})
        local = FileSystemStorage(location=location)
        names = list(storage_names(local))
        drawn = options["verbosity"] > 0 and self.stdout.isatty()
        progress = ProgressBar(self.stdout) if drawn else None
        try:
            # Asked first, so an unreachable bucket is said before any file is read.
            target.exists(".storage-migrate")
            summary = storage_migrate(source=local, target=target, names=names, progress=progress)
        except STORAGE_ERRORS as error:
            if progress:
                progress.clear()
            raise CommandError(
                _("The bucket %(bucket)s cannot be reached: %(error)s")
                % {"bucket": settings.S3_BUCKET, "error": error}
            ) from None
        line = _(
            "%(total)s files: %(copied)s copied (%(size)s), %(present)s already there, "
            "%(failed)s failed verification."
        ) % {
            "total": number_format(len(names), force_grouping=True),
            "copied": number_format(summary.copied, force_grouping=True),
            "size": filesizeformat(summary.bytes_copied),
            "present": number_format(summary.present, force_grouping=True),
            "failed": number_format(len(summary.failed), force_grouping=True),
        }
        if summary.failed:
            for name in summary.failed:
                self.stderr.write(_("Copy did not verify: %(name)s") % {"name": name})
            raise CommandError(line)
        if options["verbosity"] > 0:
            self.stdout.write(line)


class ProgressBar:
    """One terminal line with a bar and the files done, redrawn after each file."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total
        self.show(
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{number_format(done, force_grouping=True)} / "
            f"{number_format(total, force_grouping=True)}"
        )
        if done == total:
            self.clear()

    def clear(self) -> None:
        self.show("")

    def show(self, text: str) -> None:
        self.out.write(f"\r{text.ljust(self.width)}\r{text}", ending="")
        self.out.flush()
        self.width = len(text)
