"""The words of a notification: written from its kind's templates when it is read or e-mailed.

``notifications/messages/<kind>_subject.txt`` and ``<kind>_body.txt`` are plain text (no HTML
escaping: pages escape the text when they show it), rendered in the active language, so the
same row reads in Indonesian or English depending on who reads it and where.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation

from desadevisa.notifications.models import Notification

BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class NotificationText:
    subject: str
    body: str


def _context(params: dict) -> dict[str, object]:
    context: dict[str, object] = {}
    for key, value in params.items():
        # Dates travel as ISO strings; as dates they are written the reader's way.
        if key.endswith("_on") and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = datetime.date.fromisoformat(value)
        context[key] = value
    return {**context, "params": params}


def _plain(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return BLANK_LINES.sub("\n\n", "\n".join(lines))


def notification_text(notification: Notification, language: str | None = None) -> NotificationText:
    """The subject (one line) and body of ``notification`` in ``language`` (default: active)."""
    with translation.override(language or translation.get_language()):
        context = _context(notification.params)
        subject = render_to_string(
            f"notifications/messages/{notification.kind}_subject.txt", context
        )
        body = render_to_string(f"notifications/messages/{notification.kind}_body.txt", context)
    # A subject is one line, whatever a translation or a name does (also an e-mail header).
    return NotificationText(subject=" ".join(subject.split()), body=_plain(body))


def notification_path(notification: Notification, language: str | None = None) -> str:
    """The notification's link, as the page's path in ``language`` (default: active)."""
    target = language or translation.get_language()
    written_in = translation.get_language_from_path(notification.link)
    if written_in is None:
        return notification.link
    # A path is resolved in the language it was written in, then reversed in the other.
    with translation.override(written_in):
        return translate_url(notification.link, target)
