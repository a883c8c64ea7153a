"""What the tests of every app share: database checks and the browser fixtures."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, NoReturn

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
