"""The ``load_reference`` command (``desadevisa load-reference``)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from desadevisa.catalog.reference import HS_DATA_FILE
from desadevisa.core.bounds import path_argument
from desadevisa.operations.reference import reference_load
from desadevisa.regions.services import REGIONS_DATA_DIR, ReferenceFileError


class Command(BaseCommand):
    help = (
        "Load the reference data shipped with the product: regions, countries and HS codes. "
        "Only rows that differ are written, so it is safe to run again; a bad file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--regions-dir",
            type=path_argument,
            default=REGIONS_DATA_DIR,
            help="Directory of provinces, regencies, districts and villages .csv.gz (or .csv).",
        )
        parser.add_argument(
            "--hs-file",
            type=path_argument,
            default=HS_DATA_FILE,
            help="HS nomenclature .csv.gz (or .csv).",
        )

    def handle(self, *args: Any, regions_dir: Path, hs_file: Path, **options: Any) -> None:
        """Load the files and report each table; a bad file ends in a one-line CommandError."""
        verbose = options["verbosity"] > 0
        progress = None
        if verbose and self.stdout.isatty():
            progress = ProgressLine(self.stdout)
            progress.show(_("Checking the files…"))
        try:
            tables = reference_load(regions_dir=regions_dir, hs_file=hs_file, progress=progress)
        # A path the system cannot open (too long a name, no permission) is the file's fault.
        except (ReferenceFileError, OSError) as error:
            if progress:
                progress.show("")
            raise CommandError(str(error)) from None
        if verbose:
            for table in tables:
                self.stdout.write(
                    _(
                        "%(table)s: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged"
                    )
                    % {
                        "table": table.name,
                        "created": number_format(table.created, force_grouping=True),
                        "updated": number_format(table.updated, force_grouping=True),
                        "unchanged": number_format(table.unchanged, force_grouping=True),
                    }
                )


class ProgressLine:
    """One terminal line, redrawn as each table is written and cleared when it is done."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.width = 0

    def __call__(self, table: str, done: int, total: int) -> None:
        if done == total:
            self.show("")
            return
        self.show(
            f"{table}: {number_format(done, force_grouping=True)} / "
            f"{number_format(total, force_grouping=True)} ({100 * done // total}%)"
        )

    def show(self, text: str) -> None:
        self.out.write(f"\r{text.ljust(self.width)}\r{text}", ending="")
        self.out.flush()
        self.width = len(text)
