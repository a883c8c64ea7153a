"""The showcase's sitemap: its public pages in every language, each naming its translations.

Only public records are listed (a village whose profile is public, a public product); the
addresses are absolute on the site's public address (SITE_URL), whichever host was asked.
"""

from dataclasses import replace

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from desadevisa.catalog.models import Product
from desadevisa.core.site import absolute_url, site_domain, site_scheme
from desadevisa.registry.models import VillageProfile
from desadevisa.showcase.models import Exhibition
from desadevisa.showcase.site import village_public_scope


class ShowcaseSitemap(Sitemap):
    """Every item in each site language, with hreflang alternates and an x-default."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return site_scheme()

    def get_domain(self, site=None):
        return site_domain()

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default, which reads every item.
        items = self.items()
        if isinstance(items, QuerySet):
            return items.aggregate(latest=Max("updated_at"))["latest"]
        return None


class PagesSitemap(ShowcaseSitemap):
    priority = 0.8
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["showcase:home", "showcase:village-list", "showcase:product-list"]

    def location(self, item: str) -> str:
        return reverse(item)


class VillagesSitemap(ShowcaseSitemap):
    priority = 0.6
    changefreq = "monthly"

    def items(self) -> QuerySet[VillageProfile]:
        return village_public_scope().only("village_id", "updated_at").order_by("village_id")

    def location(self, item: VillageProfile) -> str:
        return reverse("showcase:village", kwargs={"code": item.village_id})

    def lastmod(self, item: VillageProfile):
        return item.updated_at


class ProductsSitemap(ShowcaseSitemap):
    priority = 0.6
    changefreq = "monthly"

    def items(self) -> QuerySet[Product]:
        return Product.objects.filter(is_public=True).only("slug", "updated_at").order_by("pk")

    def location(self, item: Product) -> str:
        return reverse("showcase:product", kwargs={"slug": item.slug})

    def lastmod(self, item: Product):
        return item.updated_at


class ExhibitionsSitemap(ShowcaseSitemap):
    priority = 0.5
    changefreq = "monthly"

    def items(self) -> QuerySet[Exhibition]:
        return Exhibition.objects.only("slug", "updated_at").order_by("-starts_on", "pk")

    def location(self, item: Exhibition) -> str:
        return reverse("showcase:exhibition", kwargs={"slug": item.slug})

    def lastmod(self, item: Exhibition):
        return item.updated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "villages": VillagesSitemap,
    "products": ProductsSitemap,
    "exhibitions": ExhibitionsSitemap,
}


def sitemap_index(request: HttpRequest, **kwargs) -> TemplateResponse:
    """Django's sitemap index, its sections named on the site's public address."""
    response = sitemap_views.index(request, **kwargs)
    asked_from = f"{request.scheme}://{request.get_host()}"
    response.context_data["sitemaps"] = [
        replace(item, location=absolute_url(item.location.removeprefix(asked_from)))
        for item in response.context_data["sitemaps"]
    ]
    return response
