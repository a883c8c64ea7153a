"""Display cards: A6 portrait PDF cards, one per display item, set beside the products at an
exhibition. Each shows the cover photo, the product's names in Indonesian and English, its
village and province, the QR code of the item's scan address with that address printed under
it, and the exhibition's name. WeasyPrint draws them from ``showcase/exhibitions/cards.html``.

Drawing fetches nothing from the network: the stylesheet comes from the project's static
files, each photo from storage, and only the card renditions of the cards' own photos may be
read; every other address is refused.
"""

from __future__ import annotations

import io
import mimetypes
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import segno
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from desadevisa.core.site import absolute_url
from desadevisa.nominations.certificates import STATIC_BASE, static_file_path
from desadevisa.showcase.models import DisplayItem
from desadevisa.showcase.selectors import display_item_cover

CARDS_TEMPLATE = "showcase/exhibitions/cards.html"
# Photos are addressed under this reserved name (RFC 2606), served from storage by the fetcher.
MEDIA_BASE = "https://media.desadevisa.invalid/"


def scan_url(item: DisplayItem) -> str:
    """The absolute address a display item's QR code carries (SITE_URL + ``/s/<code>/``)."""
    path = reverse("showcase-root:scan", kwargs={"code": item.code})
    return absolute_url(path)


def scan_url_display(url: str) -> str:
    """The scan address as printed under the code: without the scheme."""
    return url.split("://", 1)[-1]


def qr_code(data: str) -> segno.QRCode:
    return segno.make(data, error="m")


def qr_code_svg(data: str) -> SafeString:
    """``data`` as a QR code in inline SVG, sized by the stylesheet."""
    # segno writes only path data from ``data``, never its text, so the markup is safe.
    return mark_safe(qr_code(data).svg_inline(scale=4, border=4))  # noqa: S308


def qr_code_svg_document(data: str) -> bytes:
    """``data`` as a QR code in a standalone SVG file, for download."""
    output = io.BytesIO()
    qr_code(data).save(output, kind="svg", scale=10, border=4, title=data)
    return output.getvalue()


def qr_code_data_uri(data: str) -> str:
    """``data`` as a QR code, an SVG ``data:`` URL for an ``<img>`` (allowed by the CSP)."""
    return qr_code(data).svg_data_uri(scale=10, border=4)


class CardFetcher(URLFetcher):
    """Serves the project's static files under STATIC_BASE and the named photo files under
    MEDIA_BASE; refuses every other address (remote hosts, ``file:``, ``data:`` included)."""

    def __init__(self, photo_names: Iterable[str]) -> None:
        super().__init__(allowed_protocols=("https",), fail_on_errors=True)
        self.photo_names = frozenset(photo_names)

    def fetch(self, url, headers=None) -> URLFetcherResponse:
        if url.startswith(MEDIA_BASE):
            name = posixpath.normpath(unquote(urlsplit(url).path).lstrip("/"))
            if name not in self.photo_names:
                raise ValueError(f"Refused to fetch {url!r} while drawing display cards.")
            with default_storage.open(name) as stored:
                body = stored.read()
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/jpeg"})
        path = static_file_path(url)
        if path is None:
            raise ValueError(f"Refused to fetch {url!r} while drawing display cards.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


@dataclass
class Card:
    item: DisplayItem
    photo_url: str
    scan_url: str
    scan_url_display: str
    qr_code: SafeString


def _card(item: DisplayItem) -> Card:
    photo = display_item_cover(item)
    photo_url = ""
    if photo is not None and photo.card:
        photo_url = MEDIA_BASE + quote(photo.card.name)
    url = scan_url(item)
    return Card(
        item=item,
        photo_url=photo_url,
        scan_url=url,
        scan_url_display=scan_url_display(url),
        qr_code=qr_code_svg(url),
    )


def cards_pdf(*, exhibition, items: Iterable[DisplayItem]) -> bytes:
    """The display cards of ``items`` (with product, village, province and photos read) as
    PDF bytes, one A6 page each."""
    cards = [_card(item) for item in items]
    html = render_to_string(CARDS_TEMPLATE, {"exhibition": exhibition, "cards": cards})
    photo_names = [display_item_cover(card.item).card.name for card in cards if card.photo_url]
    return HTML(string=html, base_url=STATIC_BASE, url_fetcher=CardFetcher(photo_names)).write_pdf()
