"""The ``demo`` command (``desadevisa demo``)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from desadevisa.operations.demo import DemoConflict, ReferenceDataMissing, demo_load


class Command(BaseCommand):
    help = (
        "Load the demonstration data (the Minggirsari story, labelled as demo) with one account "
        "per role. Needs the reference data; running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Load the demo; missing reference data or a clash with real data ends in one line."""
        verbosity = options["verbosity"]
        try:
            summary = demo_load(progress=self.stdout.write if verbosity > 1 else None)
        except ReferenceDataMissing as error:
            raise CommandError(
                gettext(
                    "Reference data is missing: run `desadevisa load-reference` first "
                    "(not found: %(missing)s)."
                )
                % {"missing": ", ".join(error.missing)}
            ) from None
        except DemoConflict as error:
            raise CommandError(str(error)) from None
        if verbosity == 0:
            return
        self.stdout.write(
            gettext("Demonstration data loaded (%(written)d rows written, %(drawn)d photos drawn):")
            % {"written": summary.rows_written, "drawn": summary.photos_generated}
        )
        counts = [
            (gettext("village profiles"), summary.village_profiles),
            (gettext("craft units"), summary.craft_units),
            (gettext("products"), summary.products),
            (gettext("product photos"), summary.photos),
            (gettext("export shipments"), summary.export_shipments),
            (gettext("nominations"), summary.nominations),
            (gettext("exhibitions"), summary.exhibitions),
            (gettext("accounts"), summary.accounts),
        ]
        for label, count in counts:
            self.stdout.write(f"  {label}: {count}")
