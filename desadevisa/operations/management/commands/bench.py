"""The ``bench`` command (``desadevisa bench``)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from desadevisa.operations.bench import BENCHMARKS, bench_run, machine_facts
from desadevisa.operations.bench.http import PageRefused, ServerFailed, WrkMissing
from desadevisa.operations.generator import SCALES


class Command(BaseCommand):
    help = (
        "Measure the product's speed on generated data of a scale, each figure beside a floor "
        "measured in the same run; prints a table, and writes JSON with --json. Generates the "
        "scale's data first when the database does not hold it. HTTP benchmarks need wrk."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="small")
        parser.add_argument(
            "--json", dest="json_path", type=Path, help="Write the figures to this file as JSON."
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=list(BENCHMARKS),
            help="Run only this benchmark (repeatable).",
        )
        parser.add_argument(
            "--seconds", type=float, default=10, help="Duration of each HTTP load (10)."
        )

    def handle(self, *args: Any, scale: str, json_path: Path | None, only, seconds, **options):
        verbose = options["verbosity"] > 0

        def report(step: str) -> None:
            if verbose:
                self.stderr.write(f"… {step}")

        try:
            run = bench_run(scale=scale, only=only, seconds=seconds, report=report)
        except (WrkMissing, PageRefused) as error:
            raise CommandError(str(error)) from None
        except ServerFailed as error:
            raise CommandError(
                gettext("The server did not start: %(error)s") % {"error": error}
            ) from None
        if verbose:
            self._table(run.metrics)
        if json_path is not None:
            document = {
                "date": timezone.now().isoformat(timespec="seconds"),
                "machine": machine_facts(),
                "database": connection.vendor,
                "scale": scale,
                "metrics": [metric.as_json() for metric in run.metrics],
            }
            json_path.write_text(_dumps(document))

    def _table(self, metrics) -> None:
        width = max((len(metric.name) for metric in metrics), default=10)
        # Translated outside the f-string: message extraction does not look inside one.
        name, value, unit = gettext("metric"), gettext("value"), gettext("unit")
        ratio, target = gettext("ratio to floor"), gettext("target")
        self.stdout.write(f"{name:<{width}}  {value:>12}  {unit:<8}  {ratio:>14}  {target}")
        for metric in metrics:
            ratio = f"{metric.ratio:.3f}" if metric.ratio is not None else ""
            self.stdout.write(
                f"{metric.name:<{width}}  {metric.value:>12.2f}  {metric.unit:<8}"
                f"  {ratio:>14}  {metric.target}"
            )


def _dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
