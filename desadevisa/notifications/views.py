"""The inbox: a person's notifications, newest first, in the language of the page.

Every notification is its recipient's alone: anyone else's answers 404 to every method.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_refusal, staff_required
from desadevisa.notifications.selectors import (
    notification_get,
    notification_list,
    notification_unread_count,
)
from desadevisa.notifications.services import notification_read, notification_read_all
from desadevisa.notifications.texts import notification_path, notification_text

PER_PAGE = 25
SAFE_METHODS = ["GET", "HEAD"]


@never_cache
@staff_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The person's notifications, unread ones marked, 25 a page."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    page = Paginator(notification_list(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(item, notification_text(item)) for item in page]
    context = {
        "page": page,
        "rows": rows,
        "unread": notification_unread_count(user=request.user),
    }
    return render(request, "notifications/notification_list.html", context)


@never_cache
def inbox_badge_view(request: HttpRequest) -> HttpResponse:
    """The unread count beside the inbox link, loaded by htmx after the page."""
    refusal = staff_refusal(request)
    if refusal is not None:
        # Every page asks for the badge, the sign-in steps too: never move such a page away.
        return HttpResponse(status=204) if request.htmx else refusal
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    count = notification_unread_count(user=request.user)
    return render(request, "notifications/inbox_badge.html", {"count": count})


@never_cache
@staff_required
def notification_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read (POST) and go to the page it is about."""
    notification = notification_get(user=request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    notification_read(notification=notification, actor=request.user)
    path = notification_path(notification)
    if not url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        path = reverse("notifications:inbox")
    return redirect(path)


@never_cache
@staff_required
def inbox_read_all_view(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the person read (POST)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    count = notification_read_all(actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Every notification was already read."))
    return redirect("notifications:inbox")
