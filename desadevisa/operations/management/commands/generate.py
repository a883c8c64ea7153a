"""The ``generate`` command (``desadevisa generate``)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.formats import number_format
from django.utils.translation import gettext

from desadevisa.operations.demo import ReferenceDataMissing
from desadevisa.operations.generator import SCALES, generate


class Command(BaseCommand):
    help = (
        "Generate synthetic data on the real region codes, labelled as generated: the same "
        "scale and seed always give the same rows. Replaces the generated data of an earlier "
        "run and leaves every other row alone. Needs the reference data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, scale: str, seed: int, **options: Any) -> None:
        """Generate, showing each table's progress on a terminal, then the rows per table."""
        verbose = options["verbosity"] > 0
        progress = ProgressLine(self.stdout) if verbose and self.stdout.isatty() else None
        started = time.monotonic()
        try:
            summary = generate(scale=SCALES[scale], seed=seed, progress=progress)
        except ReferenceDataMissing as error:
            raise CommandError(
                gettext(
                    "Reference data is missing: run `desadevisa load-reference` first "
                    "(not found: %(missing)s)."
                )
                % {"missing": ", ".join(error.missing)}
            ) from None
        if not verbose:
            return
        self.stdout.write(
            gettext("Generated the %(scale)s scale with seed %(seed)d in %(seconds).1f s:")
            % {"scale": scale, "seed": seed, "seconds": time.monotonic() - started}
        )
        for table, rows in summary.tables:
            self.stdout.write(f"  {table}: {number_format(rows, force_grouping=True)}")


class ProgressLine:
    """One terminal line, redrawn as rows are written and cleared when a table is done."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.width = 0

    def __call__(self, table: str, done: int, total: int | None) -> None:
        if done == total:
            self.show("")
            return
        text = f"{table}: {number_format(done, force_grouping=True)}"
        if total:
            text += f" / {number_format(total, force_grouping=True)} ({100 * done // total}%)"
        self.show(text)

    def show(self, text: str) -> None:
        self.out.write(f"\r{text.ljust(self.width)}\r{text}", ending="")
        self.out.flush()
        self.width = len(text)
