"""The public exhibition pages, the kiosk, its feed, and the scan address of QR codes.

The exhibition page, the kiosk and the feed are public pages (``@public_page``): GET and HEAD
only, the same for everyone, cached whole. They list only the display items of public
products. The scan address counts a scan (GET only; nothing about the visitor is stored, no
cookie is set) and sends the visitor on to the product's page in their browser's language.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from desadevisa.core.i18n import localized_text
from desadevisa.showcase.caching import public_page
from desadevisa.showcase.cards import qr_code_data_uri, scan_url, scan_url_display
from desadevisa.showcase.exhibitions import scan_record
from desadevisa.showcase.models import DISPLAY_CODE_LENGTH, DisplayItem, Exhibition
from desadevisa.showcase.selectors import (
    display_item_cover,
    display_item_public_by_code,
    display_item_public_list,
    exhibition_public_get,
)
from desadevisa.showcase.templatetags.showcase import photo_url

# How long the kiosk shows each item, and how often it asks the feed for changes.
KIOSK_ROTATE_SECONDS = 12
KIOSK_REFRESH_SECONDS = 180


def product_url(item: DisplayItem) -> str:
    """The product's public page in the active language, saying where it was seen."""
    path = reverse("showcase:product", kwargs={"slug": item.product.slug})
    return f"{path}?{urlencode({'exhibition': item.exhibition.slug})}"


def _public_items(exhibition: Exhibition) -> list[DisplayItem]:
    items = list(display_item_public_list(exhibition=exhibition))
    for item in items:
        item.cover = display_item_cover(item)
        item.public_url = product_url(item)
    return items


@require_safe
@public_page
def exhibition_view(request: HttpRequest, slug: str) -> HttpResponse:
    """An exhibition: its dates, venues, description and the products displayed there."""
    exhibition = exhibition_public_get(slug=slug)
    items = _public_items(exhibition)
    context = {
        "exhibition": exhibition,
        "venues": list(exhibition.venues.all()),
        "items": items,
        "shows_demo_data": exhibition.is_demo or any(item.is_demo for item in items),
    }
    return render(request, "showcase/exhibitions/public_exhibition.html", context)


@require_safe
@public_page
def kiosk_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The exhibition's products full screen, one after the other, each with its QR code.
    Without JavaScript, every product in a list that scrolls."""
    exhibition = exhibition_public_get(slug=slug)
    items = _public_items(exhibition)
    for item in items:
        item.scan_address = scan_url(item)
        item.scan_address_display = scan_url_display(item.scan_address)
        item.qr_code = qr_code_data_uri(item.scan_address)
    context = {
        "exhibition": exhibition,
        "items": items,
        "rotate_seconds": KIOSK_ROTATE_SECONDS,
        "refresh_seconds": KIOSK_REFRESH_SECONDS,
        "feed_url": reverse("showcase:kiosk-feed", kwargs={"slug": exhibition.slug}),
        "shows_demo_data": exhibition.is_demo or any(item.is_demo for item in items),
    }
    return render(request, "showcase/exhibitions/kiosk.html", context)


@require_safe
@public_page
def kiosk_feed_view(request: HttpRequest, slug: str) -> JsonResponse:
    """What the kiosk shows, as JSON: public fields of the exhibition's public products."""
    exhibition = exhibition_public_get(slug=slug)
    return JsonResponse(
        {
            "exhibition": {
                "slug": exhibition.slug,
                "name": localized_text(exhibition, "name").text,
                "name_id": exhibition.name_id,
                "name_en": exhibition.name_en,
            },
            "items": [_feed_item(item) for item in _public_items(exhibition)],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _feed_item(item: DisplayItem) -> dict[str, object]:
    product, village = item.product, item.product.village
    address = scan_url(item)
    photo = None
    if item.cover is not None:
        width, height = item.cover.rendition_size("full")
        photo = {
            "url": photo_url(item.cover, "full"),
            "width": width,
            "height": height,
            "alt": item.cover.caption or product.name_en,
        }
    return {
        "code": item.code,
        "name_id": product.name_id,
        "name_en": product.name_en,
        "village": village.name,
        "province": village.province.name,
        "note": localized_text(item, "note").text,
        "photo": photo,
        "scan_url": address,
        "scan_url_display": scan_url_display(address),
        "qr_code": qr_code_data_uri(address),
    }


# Scans ---------------------------------------------------------------------------------------


@never_cache
@require_safe
def scan_view(request: HttpRequest, code: str) -> HttpResponse:
    """Count a scan of a display item's QR code (GET; a HEAD is not counted) and go to its
    product's page in the browser's language; 404 for a code no public item has."""
    code = code.upper()
    if len(code) != DISPLAY_CODE_LENGTH:
        raise Http404
    item = display_item_public_by_code(code=code)
    if item is None:
        raise Http404
    if request.method == "GET":
        scan_record(item=item)
    with translation.override(translation.get_language_from_request(request)):
        response = redirect(product_url(item))
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response
