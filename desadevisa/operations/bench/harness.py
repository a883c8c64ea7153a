"""The benchmarks, what each measures against, and how a run is put together."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from desadevisa.core.models import DataOrigin
from desadevisa.exports.models import ExportShipment
from desadevisa.nominations.models import ProgrammeCycle
from desadevisa.nominations.screening import screening_batch, screening_batch_sql_floor
from desadevisa.operations.bench.http import Load, Server, load_run, server_running, wrk_path
from desadevisa.operations.bench.imports import import_measure
from desadevisa.operations.embedded import reference_is_loaded
from desadevisa.operations.generator import SCALES, generate
from desadevisa.operations.reference import reference_load
from desadevisa.regions.selectors import village_search
from desadevisa.registry.models import CraftUnit

CONNECTIONS = (16, 64)
# Region names and codes typed letter by letter, as the autocomplete receives them.
AUTOCOMPLETE_WORDS = (
    "minggirsari",
    "sukamaju",
    "karanganyar",
    "sidorejo",
    "banyumulek",
    "trangsan",
    "wonosari",
    "margomulyo",
)
AUTOCOMPLETE_CODES = ("35", "35.05", "35.05.10", "350510", "35.05.10.2001", "52.01", "33.11.11")


@dataclass
class Metric:
    """One figure; ``floor`` is the figure of ``floor_name`` measured in the same run and
    ``ratio`` the figure over its floor. ``target`` says what the figure should reach."""

    name: str
    value: float
    unit: str
    floor: float | None = None
    floor_name: str | None = None
    ratio: float | None = None
    target: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Run:
    """What the benchmarks of one run share: the scale, the seconds each HTTP load lasts, the
    server (started once, on first use) and the floors already measured."""

    scale: str
    seconds: float
    metrics: list[Metric] = field(default_factory=list)
    server: Server | None = None
    floors: dict[int, Load] = field(default_factory=dict)

    def add(self, metric: Metric) -> Metric:
        if metric.floor:
            metric.ratio = metric.value / metric.floor
        self.metrics.append(metric)
        return metric


@dataclass(frozen=True)
class Benchmark:
    name: str
    description: str
    measure: Callable[[Run], None]
    needs_server: bool = False


def _percentile(timings: list[float], percent: int) -> float:
    return statistics.quantiles(timings, n=100, method="inclusive")[percent - 1]


def _timed(call: Callable[[], Any], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


# HTTP ----------------------------------------------------------------------------------------


def _floor(run: Run, connections: int) -> Load:
    if connections not in run.floors:
        load = load_run(f"{run.server.base_url}/ping", connections=connections, seconds=run.seconds)
        run.floors[connections] = load
        prefix = f"http.floor.c{connections}"
        run.add(Metric(f"{prefix}.requests_per_second", load.requests_per_second, "req/s"))
        run.add(Metric(f"{prefix}.p99", load.p99_ms, "ms"))
    return run.floors[connections]


def _page(run: Run, name: str, path: str, *, targets: dict[str, str] | None = None) -> None:
    """Requests/s (against the floor), p50, p99 and errors of ``path`` at each connection count."""
    targets = targets or {}
    for connections in CONNECTIONS:
        floor = _floor(run, connections)
        load = load_run(
            f"{run.server.base_url}{path}", connections=connections, seconds=run.seconds
        )
        prefix = f"http.{name}.c{connections}"
        run.add(
            Metric(
                f"{prefix}.requests_per_second",
                load.requests_per_second,
                "req/s",
                floor=floor.requests_per_second,
                floor_name=f"http.floor.c{connections}.requests_per_second",
                target=targets.get("ratio", ""),
            )
        )
        run.add(Metric(f"{prefix}.p50", load.p50_ms, "ms"))
        run.add(
            Metric(
                f"{prefix}.p99",
                load.p99_ms,
                "ms",
                target=targets.get("p99", "") if connections == 16 else "",
            )
        )
        run.add(Metric(f"{prefix}.errors", load.errors, "requests", target="0"))


def bench_http_region_autocomplete(run: Run) -> None:
    _page(run, "region_autocomplete", "/regions/villages/?q=minggir")


def bench_server_memory(run: Run) -> None:
    peak = run.server.peak_worker_rss_mb()
    if peak is not None:
        run.add(Metric("server.worker_peak_rss", peak, "MB", target="<= 200 MB"))


# In the database ------------------------------------------------------------------------------


def bench_region_autocomplete(run: Run) -> None:
    queries = [word[:length] for word in AUTOCOMPLETE_WORDS for length in range(2, len(word) + 1)]
    queries += AUTOCOMPLETE_CODES
    timings: list[float] = []
    for _ in range(3):
        for query in queries:
            timings += _timed(lambda query=query: list(village_search(query=query)), 1)
    run.add(Metric("db.region_autocomplete.p95", _percentile(timings, 95), "ms", target="<= 20 ms"))


def bench_export_aggregates(run: Run) -> None:
    def by_country_and_year() -> list:
        return list(
            ExportShipment.objects.annotate(year=ExtractYear("shipped_on"))
            .values("destination_id", "year")
            .annotate(value_usd=Sum("value_usd"), shipments=Count("pk"))
            .order_by("destination_id", "year")
        )

    timings = _timed(by_country_and_year, 3)
    run.add(
        Metric(
            "db.dashboard.exports_by_country_and_year",
            statistics.median(timings),
            "ms",
            target="<= 300 ms",
        )
    )


# Rows of the import benchmark: a few seconds at the small scale, the figure otherwise.
IMPORT_ROWS = {"small": 2_000, "province": 100_000, "national": 100_000}


def bench_import(run: Run) -> None:
    figures = import_measure(IMPORT_ROWS[run.scale])
    floor = figures.rows / figures.floor_seconds
    floor_name = "import.floor.rows_per_second"
    run.add(Metric(floor_name, floor, "rows/s"))
    run.add(
        Metric(
            "import.craft_units.rows_per_second",
            figures.rows / figures.seconds,
            "rows/s",
            floor=floor,
            floor_name=floor_name,
            target=">= 15 % of the floor",
        )
    )
    run.add(Metric("import.craft_units.rows", figures.rows, "rows"))
    run.add(Metric("import.craft_units.peak_rss", figures.peak_rss_mb, "MB", target="< 400 MB"))


def bench_screening(run: Run) -> None:
    """Every village of the generated cycle screened in one pass, against the same verdicts
    from one hand-written SQL statement; the two must agree."""
    cycle = ProgrammeCycle.objects.filter(origin=DataOrigin.GENERATED).order_by("-year").first()
    if cycle is None:
        return
    results = []
    batch_times: list[float] = []
    floor_times: list[float] = []
    # Turn about, so that a machine that gets busier or quieter weighs on both alike.
    for _ in range(3):
        batch_times += _timed(lambda: results.append(screening_batch(cycle=cycle).counts), 1)
        floor_times += _timed(lambda: results.append(screening_batch_sql_floor(cycle=cycle)), 1)
    counts = {(result.villages, tuple(sorted(result.overall.items()))) for result in results}
    if len(counts) != 1:
        raise RuntimeError(f"The batch and its SQL floor disagree: {counts}")
    floor = statistics.median(floor_times) / 1000
    floor_name = "screening.floor.seconds"
    run.add(Metric(floor_name, floor, "s"))
    run.add(
        Metric(
            "screening.batch.seconds",
            statistics.median(batch_times) / 1000,
            "s",
            floor=floor,
            floor_name=floor_name,
            target="<= 1.5x the floor and < 10 s",
        )
    )
    run.add(Metric("screening.batch.villages", results[0].villages, "villages"))


BENCHMARKS: dict[str, Benchmark] = {
    benchmark.name: benchmark
    for benchmark in (
        Benchmark(
            "http.region_autocomplete",
            "The region autocomplete served by gunicorn, against a trivial view.",
            bench_http_region_autocomplete,
            needs_server=True,
        ),
        Benchmark(
            "server.memory",
            "Peak resident memory of a server worker after the HTTP runs.",
            bench_server_memory,
            needs_server=True,
        ),
        Benchmark(
            "db.region_autocomplete",
            "95th percentile of village searches as they are typed.",
            bench_region_autocomplete,
        ),
        Benchmark(
            "db.dashboard",
            "Dashboard aggregates over every shipment.",
            bench_export_aggregates,
        ),
        Benchmark(
            "screening.batch",
            "Screening every village of the generated cycle, against one SQL statement.",
            bench_screening,
        ),
        Benchmark(
            "import.craft_units",
            "Checking and applying a CSV file of new craft units, against COPY or executemany.",
            bench_import,
        ),
    )
}


# A run ----------------------------------------------------------------------------------------


def data_prepare(scale: str, report: Callable[[str], None]) -> None:
    """Migrations, reference data and the generated data of ``scale``, each only if missing."""
    call_command("migrate", interactive=False, verbosity=0)
    if not reference_is_loaded():
        report("load-reference")
        reference_load()
    wanted = SCALES[scale].craft_units
    if CraftUnit.objects.filter(origin="generated").count() != wanted:
        report(f"generate --scale {scale}")
        generate(scale=SCALES[scale])
    call_command("collectstatic", interactive=False, verbosity=0)


def bench_run(
    *,
    scale: str,
    only: list[str] | None = None,
    seconds: float = 10,
    report: Callable[[str], None] = lambda text: None,
) -> Run:
    """Prepare the data, then run the chosen benchmarks (all by default) in a fixed order."""
    chosen = [BENCHMARKS[name] for name in (only or BENCHMARKS)]
    data_prepare(scale, report)
    run = Run(scale=scale, seconds=seconds)
    in_process = [benchmark for benchmark in chosen if not benchmark.needs_server]
    over_http = [benchmark for benchmark in chosen if benchmark.needs_server]
    for benchmark in in_process:
        report(benchmark.name)
        benchmark.measure(run)
    if over_http:
        wrk_path()
        connection.close()
        with server_running(environment={}) as server:
            run.server = server
            for benchmark in over_http:
                report(benchmark.name)
                benchmark.measure(run)
            run.server = None
    return run


def machine_facts() -> dict[str, Any]:
    """What the figures were measured on."""
    memory_kb = None
    for line in _lines("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    model = next(
        (line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if "model name" in line),
        platform.processor(),
    )
    with connection.cursor() as cursor:
        version = connection.Database.sqlite_version if connection.vendor == "sqlite" else None
        if version is None:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(memory_kb / 1024 / 1024, 1) if memory_kb else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "database": f"{connection.vendor} {version}",
        "debug": settings.DEBUG,
    }


def _lines(path: str) -> Iterator[str]:
    try:
        yield from Path(path).read_text().splitlines()
    except OSError:
        return
