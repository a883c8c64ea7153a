"""Pages of a cycle's waiting lists and of the provinces' requests to raise their quotas.

The waiting-list page reads through the quota, nomination and request scopes; the province's
officers rank their waiting nominations and ask for more places; national roles answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.core.pages import (
    FORM_METHODS,
    SAFE_METHODS,
    add_service_errors,
    posted,
    refuse_method,
    require,
)
from desadevisa.nominations.forms import QuotaAnswerForm, QuotaRequestForm
from desadevisa.nominations.models import QuotaRequestState
from desadevisa.nominations.permissions import (
    NominationAction,
    nomination_can,
    programme_may_change,
)
from desadevisa.nominations.quota_requests import (
    quota_request_answer,
    quota_request_create,
    quota_request_get,
    quota_request_provinces,
    waiting_list_overview,
)
from desadevisa.nominations.selectors import nomination_get, programme_cycle_scope
from desadevisa.nominations.services import waiting_list_move
from desadevisa.nominations.workflow import WorkflowError

# How far one press of "up" or "down" moves a nomination on the waiting list.
WAITING_LIST_MOVES = {"up": -1, "down": 1}


def waiting_list_url(cycle_id: int) -> str:
    return f"{reverse('nominations:waiting-list')}?{urlencode({'cycle': cycle_id})}"


@never_cache
@staff_required
def waiting_list_view(request: HttpRequest) -> HttpResponse:
    """A cycle's waiting lists and quota requests, per province the person reads; the newest
    cycle unless ``?cycle=`` names another."""
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    cycles = list(programme_cycle_scope(user=request.user).order_by("-year"))
    cycle = next((c for c in cycles if str(c.pk) == request.GET.get("cycle")), None)
    if cycle is None and cycles:
        cycle = cycles[0]
    provinces = waiting_list_overview(user=request.user, cycle=cycle) if cycle else []
    officer_provinces = {province.code for province in quota_request_provinces(user=request.user)}
    return render(
        request,
        "nominations/waiting_list.html",
        {
            "cycle": cycle,
            "cycles": cycles,
            "provinces": provinces,
            "officer_provinces": officer_provinces,
            "may_answer": programme_may_change(user=request.user),
            "shows_demo_data": any(c.is_demo for c in cycles),
        },
    )


@never_cache
@staff_required
def waiting_list_move_view(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    """Move a waiting nomination one place up or down its province's list (POST)."""
    nomination = nomination_get(user=request.user, pk=pk)
    if direction not in WAITING_LIST_MOVES:
        raise Http404
    if not nomination_can(user=request.user, nomination=nomination, action=NominationAction.SUBMIT):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        waiting_list_move(
            nomination=nomination, places=WAITING_LIST_MOVES[direction], actor=request.user
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    return redirect(waiting_list_url(nomination.cycle_id))


@never_cache
@staff_required
def quota_request_create_view(request: HttpRequest) -> HttpResponse:
    """A provincial officer asks for more places in a cycle's quota of their province."""
    provinces = quota_request_provinces(user=request.user)
    require(provinces.exists())
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    cycles = programme_cycle_scope(user=request.user).order_by("-year")
    initial = {"cycle": request.GET.get("cycle")}
    form = QuotaRequestForm(posted(request), initial=initial, cycles=cycles, provinces=provinces)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                created = quota_request_create(actor=request.user, **form.cleaned_data)
            except WorkflowError as error:
                form.add_error(None, str(error))
                status = error.status
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The request was sent to the programme."))
                return redirect(waiting_list_url(created.cycle_id))
    context = {
        "title": _("Ask for more places in a quota"),
        "form": form,
        "cancel_url": reverse("nominations:waiting-list"),
    }
    return render(request, "core/record_form.html", context, status=status)


@never_cache
@staff_required
def quota_request_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A national role grants or declines a province's pending request."""
    quota_request = quota_request_get(user=request.user, pk=pk)
    require(programme_may_change(user=request.user))
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    form = QuotaAnswerForm(posted(request))
    status = 200
    if quota_request.state != QuotaRequestState.PENDING:
        form.add_error(
            None,
            _("This request has already been answered: it is “%(state)s”.")
            % {"state": quota_request.get_state_display()},
        )
        status = 409
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                quota_request_answer(
                    request=quota_request,
                    grant=form.cleaned_data["decision"] == "grant",
                    answer=form.cleaned_data["answer"],
                    actor=request.user,
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
                status = error.status
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The answer was sent to the province."))
                return redirect(waiting_list_url(quota_request.cycle_id))
    context = {"quota_request": quota_request, "form": form}
    return render(request, "nominations/quota_request_answer.html", context, status=status)
