"""The buyer's side: the inquiry form of a public product, its thank-you page, and the privacy
notice. No login; nothing here shows anyone's personal data.

The form page carries a CSRF token and is never cached (``no-store``); the thank-you page and
the notice are the same for everyone and are cached like every public page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from desadevisa.accounts.rate_limits import RateLimitUnavailable
from desadevisa.audit.middleware import request_client_address
from desadevisa.core.i18n import localized_text
from desadevisa.inquiries.forms import InquiryForm
from desadevisa.inquiries.protection import (
    HONEYPOT_FIELD,
    RATE_WINDOW_SECONDS,
    address_rate_limited,
    email_rate_limited,
)
from desadevisa.inquiries.selectors import (
    inquiry_exhibition_find,
    inquiry_product_get,
    privacy_notice_get_current,
)
from desadevisa.inquiries.services import inquiry_create
from desadevisa.showcase.caching import public_page

# Seconds a buyer is asked to wait when inquiries cannot be counted (the cache is down).
UNAVAILABLE_RETRY_SECONDS = 300


def _form_page(request, product, form, *, status=200, error="") -> HttpResponse:
    slug = form["exhibition"].value() or ""
    response = render(
        request,
        "inquiries/inquiry_form.html",
        {
            "product": product,
            "product_name": localized_text(product, "name").text,
            "form": form,
            "exhibition": inquiry_exhibition_find(slug=slug),
            "error": error,
            "shows_demo_data": product.is_demo,
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(RATE_WINDOW_SECONDS)
    elif status == 503:
        response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    return response


def _unavailable(request, product, notice) -> HttpResponse:
    form = InquiryForm(product=product, notice=notice, initial=request.POST.dict())
    message = gettext(
        "Your inquiry cannot be sent right now. Please try again in a few minutes; what you "
        "wrote is kept below."
    )
    return _form_page(request, product, form, status=503, error=message)


def _too_many(request, product, notice) -> HttpResponse:
    # The buyer's text is kept in the form (unbound, so it shows no errors) for a later try.
    form = InquiryForm(product=product, notice=notice, initial=request.POST.dict())
    message = gettext(
        "Too many inquiries were sent from your connection or e-mail address in the last "
        "minute. Please wait a minute and send it again."
    )
    return _form_page(request, product, form, status=429, error=message)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The inquiry form of a public product (``?exhibition=<slug>`` records where the buyer saw
    it); a valid inquiry is recorded and the buyer sent to the thank-you page."""
    product = inquiry_product_get(slug=slug)
    notice = privacy_notice_get_current()
    if request.method != "POST":
        exhibition = inquiry_exhibition_find(slug=request.GET.get("exhibition", ""))
        initial = {"exhibition": exhibition.slug if exhibition else ""}
        return _form_page(
            request, product, InquiryForm(product=product, notice=notice, initial=initial)
        )
    if request.POST.get(HONEYPOT_FIELD):
        # Answered as if sent, so the robot learns nothing; nothing is written or sent.
        return redirect("inquiry:sent", slug=product.slug)
    form = InquiryForm(request.POST, product=product, notice=notice)
    if not form.is_valid():
        return _form_page(request, product, form, status=400)
    # Only inquiries that would be sent count: a buyer correcting a refused form is not
    # held back by their own mistakes.
    try:
        if address_rate_limited(request_client_address(request)) or email_rate_limited(
            form.cleaned_data["email"]
        ):
            return _too_many(request, product, notice)
    except RateLimitUnavailable:
        return _unavailable(request, product, notice)
    inquiry_create(
        product=product,
        values=form.inquiry_values(),
        language=get_language(),
        notice=notice,
        exhibition=inquiry_exhibition_find(slug=form.cleaned_data["exhibition"]),
    )
    return redirect("inquiry:sent", slug=product.slug)


@require_safe
@public_page
def inquiry_sent_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Thanks, and what happens next; the same page for every buyer of the product."""
    product = inquiry_product_get(slug=slug)
    return render(
        request,
        "inquiries/inquiry_sent.html",
        {
            "product": product,
            "product_name": localized_text(product, "name").text,
            "shows_demo_data": product.is_demo,
        },
    )


@require_safe
@public_page
def privacy_notice_view(request: HttpRequest) -> HttpResponse:
    """The privacy notice in force, in the page's language."""
    notice = privacy_notice_get_current()
    return render(request, "inquiries/privacy_notice.html", {"notice": notice})
