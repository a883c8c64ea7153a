"""The public site's own pages: home, villages, public photos, robots.txt. No login, public data
only, the same page for everyone (cached whole by ``showcase.caching``)."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from desadevisa.core.site import absolute_url
from desadevisa.core.uploads import image_response
from desadevisa.showcase import site
from desadevisa.showcase.caching import public_page

VILLAGES_PER_PAGE = 24
HOME_VILLAGES = 12
# The addresses of the staff workspace under each language prefix, kept from search engines.
STAFF_PREFIXES = (
    "accounts/",
    "audit/",
    "registry/",
    "catalog/",
    "exports/",
    "imports/",
    "programme/",
    "inbox/",
    "verification/",
    "support/",
    "showcase/exhibitions/",
    "inquiries/",
)


@require_safe
@public_page
def home_view(request: HttpRequest) -> HttpResponse:
    """The programme in brief: the map of export villages, figures and featured products."""
    points = site.village_map_points()
    villages = list(site.village_public_list()[:HOME_VILLAGES])
    products = site.featured_products()
    context = {
        "figures": site.home_figures(),
        "map_points": [
            {
                "name": point.name,
                "lat": point.latitude,
                "lon": point.longitude,
                "commodity": point.commodity,
                "url": reverse("showcase:village", kwargs={"code": point.code}),
            }
            for point in points
        ],
        "villages": villages,
        "products": products,
        "tile_url": settings.SHOWCASE_MAP_TILE_URL,
        "tile_attribution": settings.SHOWCASE_MAP_TILE_ATTRIBUTION,
        "shows_demo_data": any(row.is_demo for row in [*villages, *products]),
    }
    return render(request, "showcase/home.html", context)


@require_safe
@public_page
def village_list_view(request: HttpRequest) -> HttpResponse:
    """Every public village, a page at a time, optionally of one province."""
    provinces = list(site.village_public_provinces())
    chosen = next((p for p in provinces if p.code == request.GET.get("province")), None)
    page = Paginator(site.village_public_list(province=chosen), VILLAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "provinces": provinces,
        "province": chosen,
        "query": urlencode({"province": chosen.code}) if chosen else "",
        "shows_demo_data": any(profile.is_demo for profile in page),
    }
    return render(request, "showcase/village_list.html", context)


@require_safe
@public_page
def village_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """A village's story, photos, craft, cooperatives, products and export destinations."""
    village_page = site.village_public_page(code=code)
    context = {
        "page": village_page,
        "profile": village_page.profile,
        "shows_demo_data": village_page.profile.is_demo
        or any(row.is_demo for row in village_page.products),
    }
    return render(request, "showcase/village_detail.html", context)


@require_safe
def photo_view(request: HttpRequest, kind: str, pk: int, rendition: str) -> HttpResponse:
    """A rendition of a public product's or village's photo, cached a day by browsers."""
    photo = site.public_photo_get(kind=kind, pk=pk, rendition=rendition)
    return image_response(request, photo.rendition(rendition), public=True)


@require_safe
@public_page
def robots_view(request: HttpRequest) -> HttpResponse:
    """Public pages open to search engines, the staff workspace closed, the sitemap named."""
    context = {
        "disallowed": [
            f"/{code}/{prefix}" for code, _name in settings.LANGUAGES for prefix in STAFF_PREFIXES
        ],
        "sitemap_url": absolute_url(reverse("showcase-root:sitemap")),
    }
    return render(request, "showcase/robots.txt", context, content_type="text/plain")
