"""The site's public address: the one source of every absolute link the product writes.

QR codes, printed cards and certificates, e-mails, the sitemap and the pages' canonical and
alternate links all start with the setting ``SITE_URL``, never with the host a request happened
to arrive on, so that a link works wherever it is read.
"""

from urllib.parse import urlsplit

from django.conf import settings

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", ""})  # noqa: S104


def absolute_url(path: str) -> str:
    """``path`` (such as ``/s/AB12/``) on the site's public address."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def site_scheme() -> str:
    """The public address's scheme: ``https`` in production."""
    return urlsplit(settings.SITE_URL).scheme


def site_domain() -> str:
    """The public address's host, with its port when it has one."""
    return urlsplit(settings.SITE_URL).netloc


def is_local_address(url: str) -> bool:
    """Whether ``url`` names this machine (or nothing), which no visitor could reach."""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")
