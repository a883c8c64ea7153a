"""The benchmark harness keeps working: a smoke run at the small scale, a second per load, on a
database of its own (a fresh SQLite file, or a new database on the test's PostgreSQL server)."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from conftest import skip_or_fail_on_ci
from desadevisa.operations.bench.http import load_parse

DESADEVISA = str(Path(sys.executable).with_name("desadevisa"))

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8000/ping
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.52ms  650.12us  12.31ms   88.12%
  Latency Distribution
     50%    1.39ms
     75%    1.71ms
     90%    2.10ms
     99%    1.20s
  10234 requests in 1.00s, 1.91MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  10211.34
Transfer/sec:      1.91MB
"""


def test_wrk_output_gives_requests_latencies_in_milliseconds_and_errors():
    load = load_parse(WRK_OUTPUT)

    assert load.requests_per_second == 10211.34
    assert load.p50_ms == 1.39
    assert load.p99_ms == 1200.0
    assert load.errors == 7


def test_unexpected_wrk_output_is_an_error():
    with pytest.raises(ValueError, match="Unexpected wrk output"):
        load_parse("wrk: connection refused")


@pytest.fixture
def bench_database(tmp_path, django_db_blocker):
    """DATABASE_URL of an empty database for the bench process, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield ""
        return
    with django_db_blocker.unblock():
        parameters = connection.get_connection_params()
    name = f"bench_{uuid.uuid4().hex[:12]}"
    server = {key: parameters[key] for key in ("host", "port", "user") if parameters.get(key)}
    password = parameters.get("password") or ""
    with psycopg.connect(dbname="postgres", password=password, autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = f"{server.get('user', '')}:{password}@" if password else f"{server['user']}@"
    yield f"postgres://{credentials}{server.get('host', '')}:{server.get('port', 5432)}/{name}"
    with psycopg.connect(dbname="postgres", password=password, autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_small_bench_run_measures_every_benchmark_against_its_floor(tmp_path, bench_database):
    if shutil.which("wrk") is None:
        skip_or_fail_on_ci("wrk is not installed (apt-get install wrk)")
    output = tmp_path / "bench.json"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": bench_database,
    }

    result = subprocess.run(
        [DESADEVISA, "bench", "--scale", "small", "--seconds", "1", "--json", str(output)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    document = json.loads(output.read_text())
    assert document["scale"] == "small"
    assert document["database"] == (connection.vendor)
    assert document["machine"]["cpus"] >= 1
    metrics = {metric["name"]: metric for metric in document["metrics"]}
    page = metrics["http.region_autocomplete.c16.requests_per_second"]
    assert page["floor_name"] == "http.floor.c16.requests_per_second"
    assert page["floor"] == metrics["http.floor.c16.requests_per_second"]["value"]
    assert page["ratio"] == pytest.approx(page["value"] / page["floor"])
    assert metrics["http.region_autocomplete.c16.errors"]["value"] == 0
    assert metrics["db.region_autocomplete.p95"]["value"] > 0
    assert metrics["server.worker_peak_rss"]["unit"] == "MB"
    assert metrics["import.craft_units.rows"]["value"] == 2000
    assert metrics["import.craft_units.rows_per_second"]["floor_name"] == (
        "import.floor.rows_per_second"
    )
    assert metrics["import.craft_units.peak_rss"]["value"] > 0
    assert metrics["screening.batch.villages"]["value"] == 100
    assert metrics["screening.batch.seconds"]["floor_name"] == "screening.floor.seconds"
    assert "http.region_autocomplete.c64.p99" in result.stdout
