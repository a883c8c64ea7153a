import logging
import sys

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
