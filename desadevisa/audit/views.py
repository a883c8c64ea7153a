"""The audit list, for administrators and programme officers."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.accounts.scopes import user_scope
from desadevisa.audit.forms import AuditEventFilterForm
from desadevisa.audit.selectors import audit_event_list

EVENTS_PER_PAGE = 50


@never_cache
@staff_required
def event_list_view(request: HttpRequest) -> HttpResponse:
    """Every audit event, newest first, filtered by the GET form, 50 a page.

    The anonymous are sent to sign in and a session still waiting for its one-time code to that
    step; other signed-in users get 404 for any method, so the page does not reveal that it
    exists. Only those who may see it learn that it answers GET alone.
    """
    if not user_scope(request.user).is_national:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    form = AuditEventFilterForm(request.GET)
    events = audit_event_list(user=request.user, **form.filters())
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"form": form, "page": page})
