"""Keeping spam out of the public inquiry form without third-party services.

- A honeypot field (``HONEYPOT_FIELD``), hidden from people and screen readers: a form that
  fills it is answered as if sent, and nothing is written or sent.
- A signed start time (``form_started_token``): a form sent back sooner than
  INQUIRY_MIN_FILL_SECONDS after it was drawn, or with a token that was changed, is refused.
- Rate limits per client address and per e-mail address: more than INQUIRY_RATE_LIMIT
  inquiries within a minute are refused with 429. Only inquiries that passed the form's checks
  count, so a buyer correcting their mistakes is not held back. Counted in the shared cache
  (``accounts.rate_limits``), so every server process sees the same counts. When the cache
  does not answer, the form is refused (503, "try again in a few minutes"): uncounted, it
  would be open to any flood.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.utils import timezone

from desadevisa.accounts.rate_limits import rate_limit_hit

HONEYPOT_FIELD = "website"
STARTED_SALT = "desadevisa.inquiries.form-started"
# A form drawn longer ago than this is stale: it is drawn again rather than accepted.
FORM_MAX_AGE = datetime.timedelta(days=1)
RATE_WINDOW_SECONDS = 60


class FormTiming:
    """What the start-time token says about a sent form."""

    VALID = "valid"
    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    TAMPERED = "tampered"


def form_started_token(*, now: datetime.datetime | None = None) -> str:
    """A signed token holding the moment the form was drawn."""
    moment = now or timezone.now()
    return signing.dumps(moment.timestamp(), salt=STARTED_SALT, compress=False)


def form_timing_check(token: str, *, now: datetime.datetime | None = None) -> str:
    """Whether a form carrying ``token`` was filled in a plausible time (a FormTiming value)."""
    try:
        started = float(signing.loads(token or "", salt=STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return FormTiming.TAMPERED
    elapsed = (now or timezone.now()).timestamp() - started
    if elapsed < settings.INQUIRY_MIN_FILL_SECONDS:
        return FormTiming.TOO_FAST
    if elapsed > FORM_MAX_AGE.total_seconds():
        return FormTiming.EXPIRED
    return FormTiming.VALID


def address_rate_limited(address: str | None) -> bool:
    """Count one checked inquiry from ``address``; True when it is one too many this minute."""
    return rate_limit_hit(
        key=f"inquiry:address:{address or 'unknown'}",
        limit=settings.INQUIRY_RATE_LIMIT,
        window_seconds=RATE_WINDOW_SECONDS,
    )


def email_rate_limited(email: str) -> bool:
    """Count one inquiry from ``email`` (normalised); True when it is one too many this minute."""
    return rate_limit_hit(
        key=f"inquiry:email:{email}",
        limit=settings.INQUIRY_RATE_LIMIT,
        window_seconds=RATE_WINDOW_SECONDS,
    )
