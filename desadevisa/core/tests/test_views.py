import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connections

from desadevisa.core.health import HEARTBEAT_KEY, worker_heartbeat_start, worker_heartbeat_write


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client):
    connection = connections["default"]
    refused = OperationalError("connection refused")

    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]


def test_unknown_address_under_id_answers_the_not_found_page_in_indonesian(client):
    response = client.get("/id/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="id"' in response.text
    assert "Halaman tidak ditemukan" in response.text


def test_unknown_address_under_en_answers_the_not_found_page_in_english(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="en"' in response.text
    assert "Page not found" in response.text


def test_unknown_address_without_language_prefix_answers_in_the_negotiated_language(client):
    response = client.get("/no-such-page", headers={"accept-language": "en-GB,en;q=0.8"})

    assert response.status_code == 404
    assert '<html lang="en"' in response.text
    assert "Page not found" in response.text


def test_unknown_address_without_language_prefix_defaults_to_indonesian(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert '<html lang="id"' in response.text
    assert "Halaman tidak ditemukan" in response.text


def test_not_found_page_links_to_the_same_address_in_the_other_language(client):
    response = client.get("/id/no-such-page/")

    assert '<a href="/en/no-such-page/" hreflang="en" lang="en">English</a>' in response.text


def test_html_responses_carry_the_content_security_policy(client):
    response = client.get("/id/no-such-page/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.urls("desadevisa.core.tests.urls")
@pytest.mark.parametrize(
    ("accept_language", "language", "title"),
    [("", "id", "Sementara tidak tersedia"), ("en", "en", "Temporarily unavailable")],
)
def test_a_page_whose_database_is_down_answers_503_in_the_visitors_language(
    client, accept_language, language, title
):
    # No database marker: a query while rendering the page would fail the test.
    client.raise_request_exception = False

    response = client.get("/database-down/", headers={"accept-language": accept_language})

    assert response.status_code == 503
    assert f'<html lang="{language}">' in response.text
    assert f"<h1>{title}</h1>" in response.text
    assert "Content-Security-Policy" in response


def test_ping_answers_fixed_bytes_without_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping")

    assert response.status_code == 200
    assert response.content == b"pong\n"


@pytest.fixture
def worker_alive(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    worker_heartbeat_write()


def test_readyz_answers_200_with_each_check_when_everything_answers(client, worker_alive):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "worker": "ok"},
        "failing": [],
    }
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_readyz_answers_503_when_the_worker_heartbeat_is_older_than_a_minute(client, worker_alive):
    cache.set(HEARTBEAT_KEY, time.time() - 61, timeout=None)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]


def test_readyz_answers_503_naming_the_storage_without_the_error(client, worker_alive):
    with mock.patch(
        "django.core.files.storage.default_storage.save", side_effect=OSError("disk /srv full")
    ):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]
    assert "disk" not in response.text


def test_readyz_leaves_no_probe_file_in_storage(client, worker_alive, tmp_path):
    client.get("/readyz")

    assert list((tmp_path / "readyz").iterdir()) == []


def test_the_task_workers_heartbeat_is_written_as_it_starts():
    cache.delete(HEARTBEAT_KEY)

    stop = worker_heartbeat_start()
    written = cache.get(HEARTBEAT_KEY)
    for _attempt in range(50):
        if written is not None:
            break
        time.sleep(0.01)
        written = cache.get(HEARTBEAT_KEY)
    stop.set()

    assert time.time() - written < 5
