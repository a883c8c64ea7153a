"""Public pages of the showcase: no login, public data only."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from desadevisa.showcase.selectors import village_profile_public_list

VILLAGES_PER_PAGE = 24


def home_view(request: HttpRequest) -> HttpResponse:
    """The programme in brief and the villages taking part, a page at a time."""
    page = Paginator(village_profile_public_list(), VILLAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "showcase/home.html",
        {
            "page": page,
            "shows_demo_data": any(profile.is_demo for profile in page),
        },
    )
