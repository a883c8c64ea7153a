"""Log records that can be trusted: UTC timestamps, the request they belong to, one line each.

``RequestIdFilter`` puts the current request's ID on every record, so a line can be matched to
the reference a person quotes from an error page. ``UTCFormatter`` writes each record's line in
UTC with its request ID, with line breaks escaped, so that text from a visitor (a username, a
path) cannot start a line of its own and pass for another record.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

# What records carry outside a request: management commands, tasks, the server itself.
NO_REQUEST_ID = "-"

_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST_ID)

# Control characters (the line breaks among them) and the Unicode line and paragraph separators.
# The backslash is left alone: messages that already escape their values, as the audit trail's
# do, would otherwise be escaped twice.
LINE_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
TRACEBACK_INDENT = "    "


def current_request_id() -> str:
    """The ID of the request being served, or ``NO_REQUEST_ID`` outside a request."""
    return _request_id.get()


@contextmanager
def request_id_bound(request_id: str) -> Iterator[None]:
    """Make ``request_id`` current while the block runs."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


def escape_line_breaks(text: str) -> str:
    """``text`` on one line: each control character as its Python escape, such as ``\\n``."""
    return LINE_UNSAFE.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


class RequestIdFilter(logging.Filter):
    """Give every record a ``request_id`` attribute; lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class ClientErrorFilter(logging.Filter):
    """Keep a refusal (a 4xx response, such as a 403 from a permission check) to one line: the
    exception's type and message in place of its traceback. Refusals are expected; their
    tracebacks would bury the server errors. Lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


class UTCFormatter(logging.Formatter):
    """Format a record as one line stamped in UTC, such as ``2025-05-01T08:30:00.125Z``.

    The line (the format with the message in it) has its control characters escaped. A
    traceback or stack follows on lines of its own, each indented, so that every line starting
    in the first column is the start of a record. Records without a ``request_id`` (a handler
    without ``RequestIdFilter``) show ``NO_REQUEST_ID``.
    """

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("defaults", {"request_id": NO_REQUEST_ID})
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        record.message = record.getMessage()
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        parts = [escape_line_breaks(self.formatMessage(record))]
        # Formatted afresh rather than from record.exc_text, which another handler's formatter
        # may have cached without the indentation.
        if record.exc_info:
            parts.append(self.formatException(record.exc_info))
        elif record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(self.formatStack(record.stack_info))
        return "\n".join(
            [parts[0], *(textwrap.indent(part, TRACEBACK_INDENT) for part in parts[1:])]
        )


# Attributes a record may carry (from RequestIdMiddleware's line per request) copied as they are.
JSON_REQUEST_FIELDS = ("method", "path", "status", "duration")


class JSONFormatter(logging.Formatter):
    """Format a record as one JSON object on one line (``LOG_FORMAT=json``): time in UTC, level,
    logger, message, request_id, the request's method, path, status and duration (seconds) when
    the record has them, and the traceback as one string in ``exc_info``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_REQUEST_ID),
        }
        for field in JSON_REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        # ensure_ascii escapes every control character: a record stays on its line.
        return json.dumps(entry, default=str)
