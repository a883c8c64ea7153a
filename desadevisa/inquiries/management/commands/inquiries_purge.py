"""The ``inquiries_purge`` command (``desadevisa inquiries-purge``)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext

from desadevisa.core.bounds import integer_argument
from desadevisa.inquiries.services import PURGE_BATCH_SIZE, inquiries_purge

# More per transaction would hold the table's rows locked for too long.
MAX_BATCH_SIZE = 100_000


class Command(BaseCommand):
    help = (
        "Anonymise the buyer inquiries received more than INQUIRY_RETENTION_DAYS days ago: "
        "their buyers' names, companies, e-mail addresses, phone numbers and messages are "
        "removed; product, country, status, dates and the buyer key stay for the figures. "
        "Running it again changes nothing. Meant to run daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=integer_argument(1, MAX_BATCH_SIZE),
            default=PURGE_BATCH_SIZE,
            help="Inquiries anonymised per transaction.",
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        """Anonymise in batches, showing progress on a terminal, then print the counts."""
        verbose = options["verbosity"] > 0
        show_progress = verbose and self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if show_progress:
                self.stdout.write(
                    f"\r{number_format(done, force_grouping=True)} / "
                    f"{number_format(total, force_grouping=True)}",
                    ending="",
                )
                self.stdout.flush()

        result = inquiries_purge(batch_size=batch_size, progress=progress)
        if show_progress and result.anonymised:
            self.stdout.write("")
        if not verbose:
            return
        self.stdout.write(
            gettext(
                "Inquiries received before %(cutoff)s (retention %(days)s days): "
                "%(anonymised)s anonymised now, %(already)s already anonymised."
            )
            % {
                "cutoff": result.cutoff.date().isoformat(),
                "days": settings.INQUIRY_RETENTION_DAYS,
                "anonymised": number_format(result.anonymised, force_grouping=True),
                "already": number_format(result.already_anonymised, force_grouping=True),
            }
        )
