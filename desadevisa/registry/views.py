"""Staff pages of the registry; every read goes through the scoped selectors."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from desadevisa.accounts.decorators import staff_required
from desadevisa.audit.selectors import audit_history
from desadevisa.catalog.selectors import village_product_list
from desadevisa.registry.selectors import village_profile_detail, village_profile_list

VILLAGE_PROFILES_PER_PAGE = 25
SAFE_METHODS = ["GET", "HEAD"]


@never_cache
@staff_required
@require_safe
def village_profile_list_view(request: HttpRequest) -> HttpResponse:
    """The village profiles in the user's scope by name, searchable by name (``q``), 25 a page."""
    query = request.GET.get("q", "").strip()
    profiles = village_profile_list(user=request.user, query=query)
    page = Paginator(profiles, VILLAGE_PROFILES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/village_profile_list.html",
        {
            "page": page,
            "query": query,
            "shows_demo_data": any(profile.is_demo for profile in page),
        },
    )


@never_cache
@staff_required
def village_profile_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """One village profile with its organisations, active craft units and products; 404 when
    the profile is outside the user's scope, whatever the method."""
    profile = village_profile_detail(user=request.user, code=code)
    # The method is checked after the scope: only those who may read the page learn that it
    # exists, and which methods it takes.
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    # The catalog's rows of this village, read through the catalog's own scope.
    products = list(village_product_list(user=request.user, village_code=code))
    records = [profile, *profile.organisation_list, *profile.active_craft_unit_list, *products]
    return render(
        request,
        "registry/village_profile_detail.html",
        {
            "profile": profile,
            "products": products,
            "events": audit_history(user=request.user, obj=profile),
            "shows_demo_data": any(record.is_demo for record in records),
        },
    )
