import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from desadevisa.core.logging import RequestIdFilter, UTCFormatter, request_id_bound

FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"


def record(message, *args, exc_info=None):
    return logging.LogRecord(
        "desadevisa.accounts", logging.WARNING, __file__, 1, message, args, exc_info
    )


def formatted(log_record):
    RequestIdFilter().filter(log_record)
    return UTCFormatter(FORMAT).format(log_record)


def test_a_message_with_a_line_break_is_formatted_on_one_line():
    line = formatted(record("Sign-in failed for %s", "x\nFAKE LOG LINE"))

    assert "\n" not in line
    assert line.endswith(r"Sign-in failed for x\nFAKE LOG LINE")


def test_carriage_returns_and_unicode_line_separators_are_escaped():
    line = formatted(record("a\rb\u2028c\u2029d\x1b[31m"))

    assert line.splitlines() == [line]
    assert line.endswith(r"a\rb\u2028c\u2029d\x1b[31m")


def test_the_timestamp_is_iso_in_utc_ending_with_z():
    log_record = record("Signed in")
    # 2025-05-01 08:30:00.125 UTC, 15:30 in Jakarta.
    log_record.created, log_record.msecs = 1_746_088_200.125, 125

    line = formatted(log_record)

    assert line.startswith("2025-05-01T08:30:00.125Z WARNING")


def test_the_line_carries_the_request_id_inside_a_request_and_a_dash_outside():
    with request_id_bound("4f1c2a9be07d3865"):
        inside = formatted(record("Signed in"))
    outside = formatted(record("Signed in"))

    assert " [4f1c2a9be07d3865] desadevisa.accounts Signed in" in inside
    assert " [-] desadevisa.accounts Signed in" in outside


def test_a_record_that_passed_no_filter_shows_a_dash_for_the_request_id():
    line = UTCFormatter(FORMAT).format(record("Signed in"))

    assert " [-] desadevisa.accounts Signed in" in line


def test_a_traceback_follows_on_indented_lines_so_only_records_start_a_line():
    try:
        raise ValueError("bad code\nFAKE LOG LINE")
    except ValueError:
        exc_info = sys.exc_info()

    lines = formatted(record("Import failed", exc_info=exc_info)).split("\n")

    assert lines[0].endswith("Import failed")
    assert lines[1] == "    Traceback (most recent call last):"
    assert lines[-2:] == ["    ValueError: bad code", "    FAKE LOG LINE"]
    assert all(line.startswith("    ") for line in lines[1:])


def test_the_console_log_uses_the_utc_formatter_and_the_request_id_filter():
    console = settings.LOGGING["handlers"]["console"]
    formatter = settings.LOGGING["formatters"][console["formatter"]]

    assert formatter["class"] == "desadevisa.core.logging.UTCFormatter"
    assert "[%(request_id)s]" in formatter["format"]
    assert settings.LOGGING["filters"][console["filters"][0]] == {
        "()": "desadevisa.core.logging.RequestIdFilter"
    }
    assert settings.USE_TZ is True


def test_with_log_format_json_each_line_of_a_request_is_one_object_with_its_request_id(
    tmp_path,
):
    script = (
        "import logging\n"
        "from django.test import Client\n"
        "logging.getLogger('desadevisa.accounts').warning('Sign-in failed for %s', 'x\\nFAKE')\n"
        "Client().get('/ping', headers={'X-Request-ID': 'req-0123456789'})\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    logging.getLogger('desadevisa.tasks').exception('Task failed')\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "LOG_FORMAT": "json",
        "ALLOWED_HOSTS": "testserver",
    }

    result = subprocess.run(
        [str(Path(sys.executable).with_name("desadevisa")), "shell", "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    # The shell's own notes and Python's warnings are not log records.
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    sign_in, request, task = lines
    assert sign_in["message"] == "Sign-in failed for x\nFAKE"
    assert (sign_in["level"], sign_in["logger"], sign_in["request_id"]) == (
        "WARNING",
        "desadevisa.accounts",
        "-",
    )
    assert sign_in["time"].endswith("+00:00")
    assert {key: request[key] for key in ("request_id", "method", "path", "status")} == {
        "request_id": "req-0123456789",
        "method": "GET",
        "path": "/ping",
        "status": 200,
    }
    assert request["duration"] >= 0
    assert task["exc_info"].startswith("Traceback (most recent call last):")
    assert task["exc_info"].endswith("ZeroDivisionError: division by zero")
