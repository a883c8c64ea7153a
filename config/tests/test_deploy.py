"""Production settings, read from the environment as a deployment sets them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

DESADEVISA = str(Path(sys.executable).with_name("desadevisa"))

PRODUCTION = {
    "SECRET_KEY": "x7Kq2vN9pL4rT8wZ1mB6cF3hJ5sD0gY-aQeUoIiPlMnBvCxZ_rT8wZ1mB6cF3hJ5s",
    "ALLOWED_HOSTS": "desadevisa.example.go.id",
    "SITE_URL": "https://desadevisa.example.go.id",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "true",
    "BEHIND_TLS_PROXY": "true",
}


def run(tmp_path: Path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        **PRODUCTION,
        **variables,
    }
    return subprocess.run(
        [DESADEVISA, *args], env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_deployment_checks_pass_with_production_settings(tmp_path):
    result = run(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_cookies_over_https_are_host_only_secure_and_not_readable_by_scripts(tmp_path):
    result = run(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE)",
    )

    assert result.stdout.split()[-6:] == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "Lax",
    ]


@pytest.mark.parametrize("site_url", ["", "http://127.0.0.1:8000", "http://localhost:8000"])
def test_the_deployment_checks_refuse_a_site_address_nobody_else_can_reach(tmp_path, site_url):
    result = run(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SITE_URL=site_url,
        LANGUAGE_CODE="en",
    )

    assert result.returncode == 1
    assert (
        f"(desadevisa.E001) SITE_URL is “{site_url}”: QR codes, printed cards, certificates and "
        "e-mails would send people to an address they cannot reach." in result.stderr
    )


def test_a_production_server_does_not_start_with_a_site_address_on_this_machine(tmp_path):
    result = run(
        tmp_path,
        "check",
        SITE_URL="http://127.0.0.1:8000",
        DATABASE_URL="postgres://desadevisa@127.0.0.1:1/desadevisa",
        LANGUAGE_CODE="en",
    )

    assert result.returncode == 1
    assert "desadevisa.E001" in result.stderr
