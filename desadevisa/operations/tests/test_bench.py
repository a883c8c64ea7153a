"""The benchmark harness keeps working: a smoke run at the small scale, a second per load, on a
database of its own (a fresh SQLite file, or a new database on the test's PostgreSQL server);
and what its loads rely on: wrk's output, the check that a page answers 200, the staff session,
the typical catalog searches."""

import json
import os
import shutil
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import translation

from conftest import skip_or_fail_on_ci
from desadevisa.accounts.models import Role, RoleAssignment
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.nominations.tests.factories import NominationFactory
from desadevisa.operations.bench import showcase, staff
from desadevisa.operations.bench.http import PageRefused, load_parse, pages_check, rotation_script
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.showcase.public import catalog_search

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


def test_the_rotation_script_asks_for_each_path_in_turn_with_wrk_s_method_and_headers():
    script = rotation_script(["/en/products/a-1/", "/en/products/b-2/"])

    assert script == (
        'local paths = {"/en/products/a-1/", "/en/products/b-2/"}\n'
        "local next_path = 0\n"
        "request = function()\n"
        "  next_path = next_path % #paths + 1\n"
        "  return wrk.format(nil, paths[next_path])\n"
        "end\n"
    )


class _Answers(BaseHTTPRequestHandler):
    """200 for /ok with the expected cookie, a redirect to sign in for anything else."""

    def do_GET(self) -> None:
        if self.path == "/ok" and self.headers.get("Cookie") == "sessionid=abc":
            self.send_response(200)
        else:
            self.send_response(302)
            self.send_header("Location", f"/en/accounts/login/?next={self.path}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def answering_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_page_answering_200_passes_the_check_before_a_load(answering_server):
    pages_check(answering_server, ["/ok"], headers={"Cookie": "sessionid=abc"})


def test_a_page_redirecting_to_sign_in_fails_the_check_before_a_load(answering_server):
    with translation.override("en"), pytest.raises(PageRefused) as refused:
        pages_check(answering_server, ["/ok"], headers={"Cookie": "sessionid=stale"})

    assert str(refused.value) == (
        "GET /ok answered 302 (to /en/accounts/login/?next=/ok), not 200."
    )


def test_a_page_missing_from_the_urls_is_refused_by_name():
    with translation.override("en"), pytest.raises(PageRefused) as refused:
        showcase.page_path("showcase:no-such-page")

    assert str(refused.value) == "The page showcase:no-such-page does not exist."


def _officer_get(client, headers: dict[str, str], path: str):
    name, _, key = headers["Cookie"].partition("=")
    client.cookies[name] = key
    return client.get(path)


def test_the_bench_officer_is_made_for_the_province_with_most_nominations(two_provinces):
    district = two_provinces.jawa_tengah.profile.village.district
    product = ProductFactory(village=VillageFactory(district=district))
    NominationFactory(cycle=two_provinces.cycle, flagship_product=product)

    province = staff.busiest_province(cycle=two_provinces.cycle)
    officer = staff.provincial_officer_ensure(province_code=province)

    assert province == "33"
    assert not officer.has_usable_password()
    assert list(RoleAssignment.objects.filter(user=officer).values_list("role", "province")) == [
        (Role.PROVINCIAL_OFFICER, "33")
    ]


def test_making_the_bench_officer_again_moves_its_one_role_to_the_new_province(two_provinces):
    first = staff.provincial_officer_ensure(province_code="33")

    again = staff.provincial_officer_ensure(province_code="35")

    assert again.pk == first.pk
    assert list(RoleAssignment.objects.filter(user=again).values_list("role", "province")) == [
        (Role.PROVINCIAL_OFFICER, "35")
    ]


def test_the_bench_session_opens_the_province_nomination_list_until_the_block_ends(
    client, two_provinces
):
    officer = staff.provincial_officer_ensure(province_code="33")
    path = reverse("nominations:nomination-list") + "?province=33"

    with staff.verified_session(officer) as headers:
        response = _officer_get(client, headers, path)
        assert response.status_code == 200
        assert two_provinces.jawa_tengah.nomination in response.context["page"]
        assert two_provinces.jawa_timur.nomination not in response.context["page"]

    assert not Session.objects.exists()
    assert _officer_get(client, headers, path).status_code == 302
    assert headers["Cookie"].startswith(f"{settings.SESSION_COOKIE_NAME}=")


def test_every_typical_catalog_search_runs_in_both_languages_and_with_filters(two_provinces):
    searches = showcase.catalog_searches(province="35")

    for search in searches:
        list(catalog_search(query=search.query, **search.filters)[:24])
    assert {"hand drum", "Gamelan", "cotton"} <= {search.query for search in searches}
    assert {"hs", "price_max", "moq_max", "province"} <= {
        name for search in searches for name in search.filters
    }


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


HTTP_PAGES = (
    "region_autocomplete",
    "product_page",
    "product_page_uncached",
    "catalog_search",
    "village_page",
    "staff_nomination_list",
)


def test_a_small_bench_run_measures_every_benchmark_against_its_floor(tmp_path, bench_database):
    if shutil.which("wrk") is None:
        skip_or_fail_on_ci("wrk is not installed (apt-get install wrk)")
    output = tmp_path / "bench.json"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": bench_database,
        # On PostgreSQL with DEBUG off the settings are production's, which want a public address.
        "SITE_URL": "https://desadevisa.example.go.id",
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
    for name in HTTP_PAGES:
        for connections in (16, 64):
            page = metrics[f"http.{name}.c{connections}.requests_per_second"]
            floor_name = f"http.floor.c{connections}.requests_per_second"
            assert page["floor_name"] == floor_name
            assert page["floor"] == metrics[floor_name]["value"]
            assert page["ratio"] == pytest.approx(page["value"] / page["floor"])
            assert metrics[f"http.{name}.c{connections}.errors"]["value"] == 0
            # A second of load on a busy machine may complete no request: no figure but 0.
            assert metrics[f"http.{name}.c{connections}.p99"]["unit"] == "ms"
    assert metrics["http.product_page.c16.requests_per_second"]["target"] == (
        ">= 50 % of the floor"
    )
    assert metrics["http.product_page.c16.p99"]["target"] == "<= 50 ms"
    assert metrics["http.village_page.c16.p99"]["target"] == "<= 150 ms"
    assert metrics["http.staff_nomination_list.c16.requests_per_second"]["target"] == ""
    assert metrics["db.dashboard.quota_use_by_province"]["value"] > 0
    assert metrics["db.catalog_search.p95"]["value"] > 0
    assert metrics["db.catalog_search.searches"]["value"] >= 30
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
