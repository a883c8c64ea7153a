"""The public catalog: search and filter the published products, and each product's page."""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from desadevisa.catalog.search import RANKED_COUNT
from desadevisa.core.bounds import FORM_INTEGER_RANGE
from desadevisa.regions.models import Province
from desadevisa.showcase.caching import public_page
from desadevisa.showcase.public import (
    SEARCH_RANKED,
    catalog_matches,
    catalog_search,
    exhibition_showing,
    product_public_get,
)

PRODUCTS_PER_PAGE = 24
# Results counted at most: beyond, the page says "more than" and offers the first pages only,
# so a broad search on the national catalog never counts or skips hundreds of thousands of
# rows. As many as a search ranks.
COUNT_LIMIT = SEARCH_RANKED
QUERY_MAX_LENGTH = 100
PRICE_LIMIT = 10**9
ORDER_LIMIT = 10**9
EXHIBITION_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,220}")
FILTER_NAMES = ("q", "province", "hs", "price_max", "moq_max")


class CatalogFilterForm(forms.Form):
    """The catalog's search box and filters; an invalid filter is reported and left out."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={
            "max_length": _("The search is long: only its first 100 characters are used.")
        },
    )
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        error_messages={
            "invalid_choice": _("That province is not known: products of every province are shown.")
        },
    )
    hs = forms.RegexField(
        label=_("HS heading"),
        required=False,
        regex=r"^\d{4}$",
        help_text=_("4 digits, such as 9206 for percussion instruments."),
        error_messages={
            "invalid": _("An HS heading is 4 digits, such as 9206: the heading filter is ignored.")
        },
    )
    price_max = forms.DecimalField(
        label=_("Price up to (USD)"),
        required=False,
        min_value=0,
        max_value=PRICE_LIMIT,
        decimal_places=2,
        error_messages={
            "invalid": _(
                "The price is a number of US dollars, such as 50: the price filter is ignored."
            ),
            "min_value": _("The price cannot be negative: the price filter is ignored."),
            "max_value": _("The price is too high: the price filter is ignored."),
            "max_decimal_places": _(
                "The price has at most 2 decimals: the price filter is ignored."
            ),
            "max_digits": _("The price is too high: the price filter is ignored."),
            "max_whole_digits": _("The price is too high: the price filter is ignored."),
        },
    )
    moq_max = forms.IntegerField(
        label=_("Minimum order up to"),
        required=False,
        min_value=1,
        max_value=ORDER_LIMIT,
        error_messages={
            "invalid": _(
                "The minimum order is a whole number, such as 100: that filter is ignored."
            ),
            "min_value": _("The minimum order is at least 1: that filter is ignored."),
            "max_value": _("The minimum order is too high: that filter is ignored."),
        },
    )

    def __init__(self, data, *, provinces: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["province"].choices = [("", _("All provinces")), *provinces]
        # Dots and spaces are how headings are often written: 92.06.
        if isinstance(self.data.get("hs"), str):
            self.data = self.data.copy()
            self.data["hs"] = self.data["hs"].replace(".", "").replace(" ", "")

    def filters(self) -> dict:
        """The valid values by the names catalog_search() takes; invalid ones left out."""
        self.is_valid()
        cleaned = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }
        query = cleaned.pop("q", "")
        if "q" in self.errors:
            query = str(self.data.get("q", ""))[:QUERY_MAX_LENGTH]
        return {"query": query, **cleaned}


class CatalogPaginator(Paginator):
    """A Paginator that counts at most COUNT_LIMIT + 1 rows: ``is_capped`` says more exist.

    The rows of a ranked search carry their number (``RANKED_COUNT``): a page with rows then
    needs no count query. Otherwise, and for a page past the end, ``count_list`` is counted.
    """

    def __init__(self, object_list, per_page, *, count_list) -> None:
        super().__init__(object_list, per_page)
        self.count_list = count_list

    @cached_property
    def found(self) -> int:
        return self.count_list.values("pk")[: COUNT_LIMIT + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, COUNT_LIMIT)

    @property
    def is_capped(self) -> bool:
        return self.found > COUNT_LIMIT

    def get_page(self, number) -> Page:
        if RANKED_COUNT not in self.object_list.query.annotations:
            return super().get_page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        # Beyond every page, and beyond what an offset may be.
        number = min(number, FORM_INTEGER_RANGE[1])
        if number < 1:
            return super().get_page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if rows:
            self.found = getattr(rows[0], RANKED_COUNT)
        elif number == 1:
            self.found = 0
        if number > self.num_pages:
            return super().get_page(number)
        # The one match ranked beyond the count only tells that there are more.
        return self._get_page(rows[: self.count - bottom], number, self)


@require_safe
@public_page
def product_list_view(request: HttpRequest) -> HttpResponse:
    """Published products: search, filters by province, HS heading, price and minimum order."""
    provinces = list(Province.objects.order_by("name").values_list("code", "name"))
    form = CatalogFilterForm(request.GET, provinces=provinces)
    filters = form.filters()
    products = catalog_search(**filters)
    paginator = CatalogPaginator(products, PRODUCTS_PER_PAGE, count_list=catalog_matches(**filters))
    page = paginator.get_page(request.GET.get("page"))
    kept = [(name, request.GET[name]) for name in FILTER_NAMES if request.GET.get(name)]
    return render(
        request,
        "showcase/product_list.html",
        {
            "form": form,
            "page": page,
            "query": filters["query"],
            "is_filtered": bool(kept),
            "page_querystring": urlencode(kept),
            "shows_demo_data": any(product.is_demo for product in page),
        },
    )


@require_safe
@public_page
def product_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A published product for buyers; ``?exhibition=<slug>`` notes where it was seen."""
    product = product_public_get(slug=slug)
    exhibition_slug = request.GET.get("exhibition", "")
    exhibition = None
    if EXHIBITION_SLUG.fullmatch(exhibition_slug):
        exhibition = exhibition_showing(slug=exhibition_slug, product=product)
    photos = list(product.photos.all())
    return render(
        request,
        "showcase/product_detail.html",
        {
            "product": product,
            "photos": photos,
            "cover": next((photo for photo in photos if photo.is_cover), None)
            or (photos[0] if photos else None),
            "exhibition": exhibition,
            "village_profile": getattr(product.village, "profile", None),
            "shows_demo_data": product.is_demo,
        },
    )
