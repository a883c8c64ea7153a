"""The designation certificate: an A4 landscape PDF in Indonesian and English, drawn by
WeasyPrint from ``nominations/certificate.html``, with a QR code of its verification page.

Rendering fetches nothing from the network: the template's stylesheet and emblem are read from
the project's static files, and any other address is refused.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from desadevisa.nominations.designations import verification_code_display
from desadevisa.nominations.models import Designation

CERTIFICATE_TEMPLATE = "nominations/certificate.html"
# The template's relative addresses resolve against this base; the fetcher serves only it.
# ".invalid" is reserved (RFC 2606): the name can never reach a real host.
STATIC_BASE = "https://static.desadevisa.invalid/"


class StaticFilesFetcher(URLFetcher):
    """Serves the template's relative addresses from the project's static files, and refuses
    every other address (remote hosts, ``file:``, ``data:`` included): a certificate never
    depends on the network or reads outside the static files."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), fail_on_errors=True)

    def fetch(self, url, headers=None) -> URLFetcherResponse:
        path = static_file_path(url)
        if path is None:
            raise ValueError(f"Refused to fetch {url!r} while drawing a certificate.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def static_file_path(url: str) -> Path | None:
    """The static file ``url`` names under STATIC_BASE, or None for any other address."""
    if not url.startswith(STATIC_BASE):
        return None
    name = posixpath.normpath(unquote(urlsplit(url).path).lstrip("/"))
    if name.startswith(("..", "/")) or name == ".":
        return None
    found = finders.find(name)
    return Path(found) if found else None


def qr_code_svg(data: str) -> str:
    """``data`` as a QR code in inline SVG, sized by the stylesheet."""
    # segno writes only path data from ``data``, never its text, so the markup is safe.
    return mark_safe(segno.make(data, error="m").svg_inline(scale=4, border=4))  # noqa: S308


def certificate_context(*, designation: Designation, verify_url: str) -> dict[str, object]:
    """What the certificate shows; ``designation`` has its nomination, cycle, product and
    regions selected (``designations.designation_detail``)."""
    nomination = designation.nomination
    village = nomination.village
    return {
        "designation": designation,
        "nomination": nomination,
        "village": village,
        "regency": village.district.regency,
        "province": village.province,
        "product": nomination.flagship_product,
        "cycle": nomination.cycle,
        "code_display": verification_code_display(designation.verification_code),
        "verify_url": verify_url,
        "qr_code": qr_code_svg(verify_url),
    }


def certificate_pdf(*, designation: Designation, verify_url: str) -> bytes:
    """The certificate of ``designation`` as PDF bytes; ``verify_url`` is the absolute address
    of its verification page, printed and encoded in the QR code."""
    html = render_to_string(
        CERTIFICATE_TEMPLATE,
        certificate_context(designation=designation, verify_url=verify_url),
    )
    return HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticFilesFetcher()).write_pdf()
