"""What the tests of every app share: database checks and the browser fixtures."""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in TRUE_WORDS


def skip_or_fail_on_ci(reason: str) -> NoReturn:
    """Skip locally; under CI a missing prerequisite is a failure, never a silent skip."""
    if on_ci():
        pytest.fail(f"{reason} (CI=true: required)", pytrace=False)
    pytest.skip(reason)


# Databases -------------------------------------------------------------------------------------


def django_configured() -> bool:
    from django.conf import settings

    return settings.configured


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once when DATABASE_URL names a PostgreSQL server that does not answer."""
    from django.db import connection

    if not django_configured() or connection.vendor != "postgresql":
        return
    import psycopg

    # The maintenance database, as Django uses to create the test database: the one named in
    # DATABASE_URL may legitimately not exist yet.
    params = {**connection.get_connection_params(), "dbname": "postgres", "connect_timeout": 10}
    try:
        psycopg.connect(**params).close()
    except psycopg.OperationalError as error:
        host = f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}"
        raise pytest.UsageError(
            f"DATABASE_URL points at PostgreSQL on {host}, which cannot be reached: "
            f"{str(error).strip()}"
        ) from None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    on_postgres = django_configured() and connection.vendor == "postgresql"
    skip_on_sqlite = pytest.mark.skip(
        reason="PostgreSQL only: runs in the PostgreSQL pass of `python3 dev.py test`"
    )
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) and not item.get_closest_marker(
            "browser"
        ):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("postgres_only") and not on_postgres:
            item.add_marker(skip_on_sqlite)
    # Browser tests run last: while the session's browser is open, Playwright's event loop runs
    # in the main thread, and no test that has not asked for it may run under that loop.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _language_reset() -> None:
    """Each test starts in the default language, whatever the one before it activated: a test
    that reads English messages says so."""
    from django.utils import translation

    if django_configured():
        translation.deactivate()


@pytest.fixture(autouse=True)
def _cache_emptied() -> None:
    """Each test starts with an empty cache: cached public pages, rate-limit counts and import
    progress of one test never reach the next."""
    from django.core.cache import cache

    if django_configured():
        cache.clear()


# Redis and S3 --------------------------------------------------------------------------------
# Real servers on free loopback ports, one of each per test process (each xdist worker starts its
# own). Tests stop them mid-test to see the product's behaviour during an outage; the function
# fixtures start them again before the next test.


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, seconds: float = 10) -> None:
    import socket
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class RedisServer:
    """``redis-server`` on a free loopback port, without persistence."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.process: Any = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import subprocess

        if self.process is not None and self.process.poll() is None:
            return
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--loglevel", "warning"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def pause(self) -> None:
        """Stop answering but keep every key, as a Redis that hangs would."""
        import signal

        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        import signal

        self.process.send_signal(signal.SIGCONT)


class S3Server:
    """moto's S3 server (the S3 HTTP protocol) on a free loopback port of this process. Its
    buckets live in the process, so they outlast a stop and a start."""

    region = "us-east-1"

    def __init__(self) -> None:
        self.port = free_port()
        self.server: Any = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import logging

        from moto.server import ThreadedMotoServer

        if self.server is not None:
            return
        # One line per S3 request would bury a failing test's own output.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def client(self):
        """A boto3 S3 client of its own, to look into the buckets as the product does not."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.access(binary, os.X_OK):
        skip_or_fail_on_ci("redis-server not found: install the redis-server package")
    server = RedisServer(binary)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server, settings) -> RedisServer:
    """The default cache in the real Redis, emptied, as production configures it."""
    import redis

    from config.env import cache

    redis_server.resume()
    redis_server.start()
    redis.Redis.from_url(redis_server.url).flushdb()
    settings.CACHES = {"default": cache(redis_server.url, settings.DATA_DIR)}
    return redis_server


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    try:
        import moto.server  # noqa: F401
    except ImportError:
        skip_or_fail_on_ci("moto's server is not installed: pip install 'moto[server]'")
    server = S3Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(s3_server, settings, monkeypatch) -> str:
    """A fresh private bucket as the default storage, configured as production does it."""
    import uuid

    from config.env import file_storage

    s3_server.start()
    bucket = f"uploads-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=bucket)
    for name, value in {
        "S3_ENDPOINT_URL": s3_server.endpoint_url,
        "S3_REGION": s3_server.region,
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "S3_ADDRESSING_STYLE": "path",
        "S3_CONNECT_TIMEOUT": "1",
        "S3_READ_TIMEOUT": "5",
    }.items():
        monkeypatch.setenv(name, value)
    settings.S3_BUCKET = bucket
    settings.STORAGES = {**settings.STORAGES, "default": file_storage(bucket)}
    return bucket


# The fuzz's report --------------------------------------------------------------------------
# How many pages, forms, query strings, requests and command runs the fuzz
# (core/tests/test_fuzz.py) made, at the end of the run; with several worker processes, their
# counts added up by the controller.

fuzz_counted_by_workers: Counter[str] = Counter()


def fuzz_cases() -> Counter[str]:
    # Only when the fuzz ran in this process: its helpers were imported by its tests.
    fuzz = sys.modules.get("desadevisa.core.tests.fuzz")
    return Counter(fuzz.cases) if fuzz is not None else Counter()


def pytest_sessionfinish(session: pytest.Session) -> None:
    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # a worker process hands its counts to the controller
        output["fuzz_cases"] = dict(fuzz_cases())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    fuzz_counted_by_workers.update(getattr(node, "workeroutput", {}).get("fuzz_cases", {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    counted = fuzz_cases() + fuzz_counted_by_workers
    if counted:
        counts = ", ".join(f"{count} {kind}" for kind, count in sorted(counted.items()))
        terminalreporter.write_line(f"fuzz: {counts}")


# People ----------------------------------------------------------------------------------------
# One fixture per role. Scoped roles get Jawa Timur (35) or an organisation there; tests that
# need a second province or organisation build it with the factories.


@pytest.fixture
def jawa_timur():
    from desadevisa.regions.tests.factories import ProvinceFactory

    return ProvinceFactory(code="35", name="Jawa Timur")


@pytest.fixture
def administrator(db):
    from desadevisa.accounts.models import Role
    from desadevisa.accounts.tests.factories import user_with_role

    return user_with_role(Role.ADMINISTRATOR, username="administrator")


@pytest.fixture
def programme_officer(db):
    from desadevisa.accounts.models import Role
    from desadevisa.accounts.tests.factories import user_with_role

    return user_with_role(Role.PROGRAMME_OFFICER, username="programme-officer")


@pytest.fixture
def verifier(db):
    from desadevisa.accounts.models import Role
    from desadevisa.accounts.tests.factories import user_with_role

    return user_with_role(Role.VERIFIER, username="verifier")


@pytest.fixture
def provincial_officer(db, jawa_timur):
    from desadevisa.accounts.models import Role
    from desadevisa.accounts.tests.factories import user_with_role

    return user_with_role(
        Role.PROVINCIAL_OFFICER, province=jawa_timur, username="provincial-officer"
    )


@pytest.fixture
def organisation_manager(db, jawa_timur):
    from desadevisa.accounts.models import Role
    from desadevisa.accounts.tests.factories import user_with_role
    from desadevisa.regions.tests.factories import VillageFactory
    from desadevisa.registry.tests.factories import OrganisationFactory

    organisation = OrganisationFactory(
        village=VillageFactory(district__regency__province=jawa_timur)
    )
    return user_with_role(
        Role.ORGANISATION_MANAGER, organisation=organisation, username="organisation-manager"
    )


@pytest.fixture
def nobody(db):
    """A signed-in account holding no role: it reaches nothing."""
    from desadevisa.accounts.tests.factories import UserFactory

    return UserFactory(username="nobody")


@dataclass
class ProvinceRecords:
    """One province's share of ``two_provinces``: a village and its whole registry.

    Two organisations work in the village. ``member_unit`` is a running member of
    ``organisation``, ``former_unit`` a past one; ``neighbour_unit`` belongs to the
    ``neighbour_organisation``. The profile and the member unit have a photo each. Each unit
    makes its own product; the member's product has a photo, a shipment, a designated
    nomination and a display item, and so has the neighbour's (its nomination withdrawn). The
    designated nomination's ``visit`` is submitted, by a verifier of its own (not the
    ``verifier`` fixture, who is assigned no visit). The province has a pending
    ``quota_request``.
    """

    province: Any
    officer: Any
    manager: Any
    profile: Any
    organisation: Any
    neighbour_organisation: Any
    member_unit: Any
    former_unit: Any
    neighbour_unit: Any
    membership: Any
    former_membership: Any
    neighbour_membership: Any
    village_photo: Any
    unit_photo: Any
    product: Any
    former_product: Any
    neighbour_product: Any
    photo: Any
    neighbour_photo: Any
    shipment: Any
    neighbour_shipment: Any
    quota: Any
    nomination: Any
    neighbour_nomination: Any
    designation: Any
    display_item: Any
    neighbour_display_item: Any
    visit: Any
    quota_request: Any


@dataclass
class TwoProvinces:
    """Jawa Timur (35, the role fixtures' province and organisation) and Jawa Tengah (33)."""

    jawa_timur: ProvinceRecords
    jawa_tengah: ProvinceRecords
    cycle: Any
    exhibition: Any

    def names(self, rows) -> set[str]:
        """The names of ``rows`` in this setup, as ``"35.member_unit"`` or ``"cycle"``."""
        from django.db.models import Model

        index = {(type(self.cycle), self.cycle.pk): "cycle"}
        index[(type(self.exhibition), self.exhibition.pk)] = "exhibition"
        for code, records in (("35", self.jawa_timur), ("33", self.jawa_tengah)):
            for field in fields(records):
                value = getattr(records, field.name)
                if isinstance(value, Model):
                    index.setdefault((type(value), value.pk), f"{code}.{field.name}")
        return {index.get((type(row), row.pk), f"unknown {row!r}") for row in rows}


@pytest.fixture
def two_provinces(db, settings, tmp_path, provincial_officer, organisation_manager):
    """Two provinces with the same records each, for scope tests: Jawa Timur holds the
    ``provincial_officer``'s province and the ``organisation_manager``'s organisation; Jawa
    Tengah has an officer and a manager of its own. Photo files are stored in a temporary
    MEDIA_ROOT."""
    import datetime

    from desadevisa.accounts.models import Role
    from desadevisa.accounts.tests.factories import user_with_role
    from desadevisa.catalog.tests.factories import ProductFactory, ProductPhotoFactory
    from desadevisa.exports.tests.factories import ExportShipmentFactory
    from desadevisa.nominations.models import NominationState, QuotaRaiseRequest
    from desadevisa.nominations.tests.factories import (
        DesignationFactory,
        NominationFactory,
        ProgrammeCycleFactory,
        ProvinceQuotaFactory,
    )
    from desadevisa.regions.tests.factories import ProvinceFactory, VillageFactory
    from desadevisa.registry.tests.factories import (
        CraftUnitFactory,
        CraftUnitPhotoFactory,
        MembershipFactory,
        OrganisationFactory,
        VillageProfileFactory,
        VillageProfilePhotoFactory,
    )
    from desadevisa.showcase.models import DisplayItem, Exhibition
    from desadevisa.verification.tests.factories import VisitFactory

    settings.MEDIA_ROOT = tmp_path
    cycle = ProgrammeCycleFactory(year=2022)
    exhibition = Exhibition.objects.create(
        name_id="G20 2022",
        name_en="G20 2022",
        slug="g20-2022",
        starts_on=datetime.date(2022, 3, 1),
        ends_on=datetime.date(2022, 11, 30),
    )

    def records(province, officer, manager, organisation) -> ProvinceRecords:
        village = organisation.village
        neighbour_organisation = OrganisationFactory(village=village)
        member_unit, former_unit, neighbour_unit = CraftUnitFactory.create_batch(3, village=village)
        product = ProductFactory(village=village, craft_units=[member_unit])
        neighbour_product = ProductFactory(village=village, craft_units=[neighbour_unit])
        profile = VillageProfileFactory(village=village)
        designation = DesignationFactory(
            nomination__cycle=cycle,
            nomination__flagship_product=product,
            nomination__submitted_by=officer,
        )
        return ProvinceRecords(
            province=province,
            officer=officer,
            manager=manager,
            profile=profile,
            organisation=organisation,
            neighbour_organisation=neighbour_organisation,
            member_unit=member_unit,
            former_unit=former_unit,
            neighbour_unit=neighbour_unit,
            membership=MembershipFactory(craft_unit=member_unit, organisation=organisation),
            former_membership=MembershipFactory(
                craft_unit=former_unit,
                organisation=organisation,
                ended_on=datetime.date(2021, 6, 30),
            ),
            neighbour_membership=MembershipFactory(
                craft_unit=neighbour_unit, organisation=neighbour_organisation
            ),
            village_photo=VillageProfilePhotoFactory(profile=profile),
            unit_photo=CraftUnitPhotoFactory(craft_unit=member_unit),
            product=product,
            former_product=ProductFactory(village=village, craft_units=[former_unit]),
            neighbour_product=neighbour_product,
            photo=ProductPhotoFactory(product=product),
            neighbour_photo=ProductPhotoFactory(product=neighbour_product),
            shipment=ExportShipmentFactory(product=product),
            neighbour_shipment=ExportShipmentFactory(product=neighbour_product),
            quota=ProvinceQuotaFactory(cycle=cycle, province=province),
            nomination=designation.nomination,
            neighbour_nomination=NominationFactory(
                cycle=cycle,
                flagship_product=neighbour_product,
                state=NominationState.WITHDRAWN,
                submitted_by=officer,
            ),
            designation=designation,
            display_item=DisplayItem.objects.create(exhibition=exhibition, product=product),
            neighbour_display_item=DisplayItem.objects.create(
                exhibition=exhibition, product=neighbour_product
            ),
            visit=VisitFactory(
                nomination=designation.nomination,
                submitted=True,
                verifiers=[user_with_role(Role.VERIFIER, username=f"verifier-{province.code}")],
            ),
            quota_request=QuotaRaiseRequest.objects.create(
                cycle=cycle,
                province=province,
                places=2,
                reason="Ready villages.",
                requested_by=officer,
            ),
        )

    jawa_timur = records(
        provincial_officer.role_assignments.get().province,
        provincial_officer,
        organisation_manager,
        organisation_manager.role_assignments.get().organisation,
    )
    central_java = ProvinceFactory(code="33", name="Jawa Tengah")
    central_organisation = OrganisationFactory(
        village=VillageFactory(district__regency__province=central_java)
    )
    jawa_tengah = records(
        central_java,
        user_with_role(Role.PROVINCIAL_OFFICER, province=central_java, username="officer-33"),
        user_with_role(
            Role.ORGANISATION_MANAGER, organisation=central_organisation, username="manager-33"
        ),
        central_organisation,
    )
    return TwoProvinces(
        jawa_timur=jawa_timur, jawa_tengah=jawa_tengah, cycle=cycle, exhibition=exhibition
    )


# Browser ---------------------------------------------------------------------------------------


def chromium_path() -> str | None:
    """The system Chromium: CHROMIUM_PATH, /usr/bin/chromium, or chromium(-browser) on PATH."""
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"]
    candidates += [shutil.which("chromium"), shutil.which("chromium-browser")]
    return next(
        (path for path in candidates if path and os.path.isfile(path) and os.access(path, os.X_OK)),
        None,
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The system Chromium, headless, driven by Playwright for the whole session.

    Playwright's own browser download needs the network, so the system Chromium is used.
    """
    executable = chromium_path()
    if executable is None:
        skip_or_fail_on_ci("Chromium not found: install the chromium package or set CHROMIUM_PATH")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    # Playwright's sync API keeps an asyncio event loop running in this thread until it stops,
    # and Django refuses database access from a thread with a running loop
    # (SynchronousOnlyOperation). The tests never share a connection with that loop, so the
    # guard is lifted exactly as long as Playwright runs, which is only while browser tests run
    # (they are ordered last).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser, transactional_db: None) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies, browser's own locale).

    The database is transactional so that the live server's thread sees the test's rows.
    """
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()
