"""The benchmarks, what each measures against, and how a run is put together."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext

from desadevisa.core.models import DataOrigin
from desadevisa.exports.models import ExportShipment
from desadevisa.nominations.models import ProgrammeCycle
from desadevisa.nominations.screening import screening_batch, screening_batch_sql_floor
from desadevisa.nominations.selectors import province_quota_uses
from desadevisa.operations.bench import showcase, staff
from desadevisa.operations.bench.http import (
    Load,
    PageRefused,
    Server,
    load_run,
    pages_check,
    server_running,
    wrk_path,
)
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
    server, the server with page caching off (started on first use, stopped with ``servers``)
    and the floors already measured."""

    scale: str
    seconds: float
    metrics: list[Metric] = field(default_factory=list)
    server: Server | None = None
    uncached_server: Server | None = None
    servers: ExitStack | None = None
    floors: dict[int, Load] = field(default_factory=dict)

    def server_uncached(self) -> Server:
        """The same server with ``SHOWCASE_CACHE_SECONDS=0``: every public page rendered."""
        if self.uncached_server is None:
            connection.close()
            self.uncached_server = self.servers.enter_context(
                server_running(environment={"SHOWCASE_CACHE_SECONDS": "0"})
            )
        return self.uncached_server

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


def _page(
    run: Run,
    name: str,
    paths: Sequence[str],
    *,
    targets: dict[str, str] | None = None,
    server: Server | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Requests/s (against the floor), p50, p99 and errors of ``paths`` (asked for in turn) at
    each connection count. Every path must answer 200 before the loads (which also fills the
    page cache), and the first one after each load, since wrk counts a redirect (to sign in,
    say) as an answer."""
    targets = targets or {}
    server = server or run.server
    pages_check(server.base_url, paths, headers=headers)
    for connections in CONNECTIONS:
        floor = _floor(run, connections)
        load = load_run(
            f"{server.base_url}{paths[0]}",
            connections=connections,
            seconds=run.seconds,
            headers=headers,
            paths=paths if len(paths) > 1 else (),
        )
        pages_check(server.base_url, paths[:1], headers=headers)
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
    _page(run, "region_autocomplete", ["/regions/villages/?q=minggir"])


def bench_http_product_page(run: Run) -> None:
    """Public product pages in turn, each already in the page cache (the check before the loads
    asks for every one)."""
    targets = {"ratio": ">= 50 % of the floor", "p99": "<= 50 ms"}
    _page(run, "product_page", showcase.product_paths(scale=run.scale), targets=targets)


def bench_http_product_page_uncached(run: Run) -> None:
    paths = showcase.product_paths(scale=run.scale)
    targets = {"ratio": ">= 10 % of the floor"}
    _page(run, "product_page_uncached", paths, targets=targets, server=run.server_uncached())


# Catalog search and village pages are measured with page caching off: what rendering them
# costs, since searches vary too much for the cache to answer most of them.
SHOWCASE_PAGE_TARGETS = {"ratio": ">= 8 % of the floor", "p99": "<= 150 ms"}


def bench_http_catalog_search(run: Run) -> None:
    path = showcase.catalog_search_path()
    _page(
        run, "catalog_search", [path], targets=SHOWCASE_PAGE_TARGETS, server=run.server_uncached()
    )


def bench_http_village_page(run: Run) -> None:
    path = showcase.village_path()
    _page(run, "village_page", [path], targets=SHOWCASE_PAGE_TARGETS, server=run.server_uncached())


def bench_http_staff_nomination_list(run: Run) -> None:
    """The nomination list of the generated cycle's busiest province, filtered to that cycle
    and province, as a provincial officer of that province (a signed-in, verified session)."""
    cycle = _generated_cycle()
    province = staff.busiest_province(cycle=cycle) if cycle else None
    if province is None:
        raise PageRefused(gettext("The generated data has no nominations."))
    officer = staff.provincial_officer_ensure(province_code=province)
    path = showcase.page_path("nominations:nomination-list")
    path += f"?cycle={cycle.pk}&province={province}"
    with staff.verified_session(officer) as headers:
        _page(run, "staff_nomination_list", [path], headers=headers)


def bench_server_memory(run: Run) -> None:
    """The largest peak among the workers of both servers (the one with caching off renders
    every page it serves)."""
    servers = (run.server, run.uncached_server)
    peaks = [server.peak_worker_rss_mb() for server in servers if server is not None]
    peaks = [peak for peak in peaks if peak is not None]
    if peaks:
        run.add(Metric("server.worker_peak_rss", max(peaks), "MB", target="<= 200 MB"))


# In the database ------------------------------------------------------------------------------


def bench_region_autocomplete(run: Run) -> None:
    queries = [word[:length] for word in AUTOCOMPLETE_WORDS for length in range(2, len(word) + 1)]
    queries += AUTOCOMPLETE_CODES
    timings: list[float] = []
    for _ in range(3):
        for query in queries:
            timings += _timed(lambda query=query: list(village_search(query=query)), 1)
    run.add(Metric("db.region_autocomplete.p95", _percentile(timings, 95), "ms", target="<= 20 ms"))


def _generated_cycle() -> ProgrammeCycle | None:
    """The programme cycle of the generated data (the latest, should there be several)."""
    return ProgrammeCycle.objects.filter(origin=DataOrigin.GENERATED).order_by("-year").first()


def bench_dashboard_aggregates(run: Run) -> None:
    """Exports by destination country and year over every shipment; quota use by province in
    the generated cycle (the national quota page's selector). Median of three each."""

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
    cycle = _generated_cycle()
    if cycle is None:
        return
    timings = _timed(lambda: province_quota_uses(cycle=cycle), 3)
    run.add(
        Metric(
            "db.dashboard.quota_use_by_province",
            statistics.median(timings),
            "ms",
            target="<= 300 ms",
        )
    )


def bench_catalog_search(run: Run) -> None:
    """Typical catalog searches, each as the catalog page runs it: its selector, its paginator
    (a count capped as the page caps it) and the first page of results."""
    # The showcase's, imported here so that the other benchmarks run without them.
    from desadevisa.showcase.catalog_views import PRODUCTS_PER_PAGE, CatalogPaginator
    from desadevisa.showcase.public import catalog_search

    searches = showcase.catalog_searches(province=showcase.busiest_product_province())

    def first_page(search: showcase.CatalogSearch) -> None:
        products = catalog_search(query=search.query, **search.filters)
        paginator = CatalogPaginator(products, PRODUCTS_PER_PAGE, count_list=products.order_by())
        list(paginator.get_page(1))

    timings: list[float] = []
    for _ in range(3):
        for search in searches:
            timings += _timed(lambda search=search: first_page(search), 1)
    run.add(Metric("db.catalog_search.p95", _percentile(timings, 95), "ms", target="<= 50 ms"))
    run.add(Metric("db.catalog_search.searches", len(searches), "searches"))


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
    cycle = _generated_cycle()
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
            "http.product_page",
            "Public product pages from the page cache, against a trivial view.",
            bench_http_product_page,
            needs_server=True,
        ),
        Benchmark(
            "http.product_page_uncached",
            "Public product pages with page caching off, against a trivial view.",
            bench_http_product_page_uncached,
            needs_server=True,
        ),
        Benchmark(
            "http.catalog_search",
            "A catalog search with page caching off, against a trivial view.",
            bench_http_catalog_search,
            needs_server=True,
        ),
        Benchmark(
            "http.village_page",
            "A public village page with page caching off, against a trivial view.",
            bench_http_village_page,
            needs_server=True,
        ),
        Benchmark(
            "http.staff_nomination_list",
            "A province's nomination list for its provincial officer, against a trivial view.",
            bench_http_staff_nomination_list,
            needs_server=True,
        ),
        # After the other HTTP benchmarks, whose load it reports on.
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
            "Dashboard aggregates: exports by country and year, quota use by province.",
            bench_dashboard_aggregates,
        ),
        Benchmark(
            "db.catalog_search",
            "95th percentile of typical catalog searches, first page and count.",
            bench_catalog_search,
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
        with ExitStack() as servers:
            run.servers = servers
            run.server = servers.enter_context(server_running(environment={}))
            for benchmark in over_http:
                report(benchmark.name)
                benchmark.measure(run)
        run.server = run.uncached_server = run.servers = None
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
