"""The programme's pages: cycles with their quotas, nominations and their workflow steps.

Every page about a record fetches it through a scoped selector first (404 outside the scope),
then asks the permission (403), then looks at the method. Cycles and quotas are set up by the
national roles only: their edit pages answer 404 to everyone else.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.accounts.scopes import user_scope
from desadevisa.catalog.models import Product
from desadevisa.core.pages import (
    FORM_METHODS,
    SAFE_METHODS,
    form_page,
    list_response,
    posted,
    refuse_method,
    require,
)
from desadevisa.nominations.cycle_dates import programme_cycle_override
from desadevisa.nominations.designations import designation_panel
from desadevisa.nominations.forms import (
    CycleDateOverrideForm,
    NominationCreateForm,
    NominationForm,
    ProgrammeCycleForm,
    ProvinceQuotaForm,
    TransitionForm,
    UniquenessReviewForm,
)
from desadevisa.nominations.lists import nomination_definition
from desadevisa.nominations.models import NominationState
from desadevisa.nominations.permissions import (
    NominationAction,
    nomination_can,
    nomination_may_create,
    nomination_villages,
    programme_may_change,
)
from desadevisa.nominations.screening_display import screening_for_page
from desadevisa.nominations.selectors import (
    nomination_detail,
    nomination_get,
    nomination_list,
    programme_cycle_get,
    programme_cycle_overview,
    programme_cycle_scope,
    province_quota_uses,
)
from desadevisa.nominations.services import (
    nomination_create,
    nomination_transition,
    nomination_update,
    programme_cycle_create,
    programme_cycle_update,
    province_quotas_set,
)
from desadevisa.nominations.uniqueness import nomination_uniqueness_review, uniqueness_panel
from desadevisa.nominations.workflow import (
    WorkflowError,
    transition_get,
    transitions_available,
)
from desadevisa.regions.models import Village

RECORD_FORM = "core/record_form.html"


def cycle_list_url(_cycle=None) -> str:
    return reverse("nominations:cycle-list")


def nomination_url(nomination) -> str:
    return reverse("nominations:nomination-detail", kwargs={"pk": nomination.pk})


def _national_cycle(request: HttpRequest, pk: int):
    """The cycle ``pk`` for its national editors; 404 for everyone else (cycles are set up
    nationally, the edit pages exist for no one else)."""
    cycle = programme_cycle_get(user=request.user, pk=pk)
    if not programme_may_change(user=request.user):
        raise Http404
    return cycle


def _nomination_products(user):
    return (
        Product.objects.filter(village__in=_villages(user))
        .select_related("village")
        .order_by("village__name", "name_en", "pk")
    )


def _villages(user):
    return Village.objects.filter(nomination_villages(user_scope(user))).values("code")


# Cycles and quotas ---------------------------------------------------------------------------


@never_cache
@staff_required
def cycle_list_view(request: HttpRequest) -> HttpResponse:
    """The programme cycles, with the use of the quotas the person reads."""
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    cycles = programme_cycle_overview(user=request.user)
    return render(
        request,
        "nominations/cycle_list.html",
        {
            "cycles": cycles,
            "may_change": programme_may_change(user=request.user),
            "shows_demo_data": any(cycle.is_demo for cycle in cycles),
        },
    )


@never_cache
@staff_required
def cycle_create_view(request: HttpRequest) -> HttpResponse:
    """Open a programme cycle (national roles)."""
    if not programme_may_change(user=request.user):
        raise Http404
    return form_page(
        request,
        form=ProgrammeCycleForm(posted(request)),
        save=lambda form: programme_cycle_create(data=form.cleaned_data, actor=request.user),
        template=RECORD_FORM,
        context={"title": _("New programme cycle"), "cancel_url": cycle_list_url()},
        success_message=_("The programme cycle was created."),
        success_url=cycle_list_url,
    )


@never_cache
@staff_required
def cycle_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a cycle's dates and eligibility thresholds (national roles)."""
    cycle = _national_cycle(request, pk)
    return form_page(
        request,
        form=ProgrammeCycleForm(posted(request), instance=cycle),
        save=lambda form: programme_cycle_update(
            cycle=cycle,
            data=form.cleaned_data,
            seen_version=form.cleaned_data["seen_version"],
            actor=request.user,
        ),
        template=RECORD_FORM,
        context={"title": _("Edit %(record)s") % {"record": cycle}, "cancel_url": cycle_list_url()},
        success_message=_("The programme cycle was saved."),
        success_url=cycle_list_url,
    )


@never_cache
@staff_required
def cycle_override_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Let a cycle's nominations and decisions be taken outside its dates, with the reason
    (national roles)."""
    cycle = _national_cycle(request, pk)
    return form_page(
        request,
        form=CycleDateOverrideForm(posted(request)),
        save=lambda form: programme_cycle_override(
            cycle=cycle,
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data["until"],
            actor=request.user,
        ),
        template=RECORD_FORM,
        context={
            "title": _("Override the dates of %(record)s") % {"record": cycle},
            "cancel_url": cycle_list_url(),
        },
        success_message=_("The override of the cycle's dates was recorded."),
        success_url=cycle_list_url,
    )


@never_cache
@staff_required
def cycle_quotas_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every province's quota in the cycle on one form, with the slots already held."""
    cycle = _national_cycle(request, pk)
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    uses = province_quota_uses(cycle=cycle)
    current = {p.code: use.quota.allowed for p, use in uses.items() if use is not None}
    form = ProvinceQuotaForm(posted(request), provinces=uses, current=current)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                province_quotas_set(cycle=cycle, allowed=form.allowed(), actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The quotas were saved."))
                return redirect(cycle_list_url())
    rows = [(form[form.field_name(p.code)], uses[p]) for p in uses]
    context = {"cycle": cycle, "form": form, "rows": rows}
    return render(request, "nominations/cycle_quotas.html", context, status=status)


# Nominations ---------------------------------------------------------------------------------


@never_cache
@staff_required
def nomination_list_view(request: HttpRequest) -> HttpResponse:
    """The nominations in the person's scope: filter by cycle, state and province, export."""
    return list_response(
        request,
        nomination_list(user=request.user),
        nomination_definition(request.user),
        "nominations/nomination_list.html",
        {"may_create": nomination_may_create(user=request.user)},
    )


@never_cache
@staff_required
def nomination_create_view(request: HttpRequest) -> HttpResponse:
    """Start a draft nomination of a village of the officer's provinces."""
    require(nomination_may_create(user=request.user))
    form = NominationCreateForm(
        posted(request),
        user=request.user,
        products=_nomination_products(request.user),
        cycles=programme_cycle_scope(user=request.user),
    )
    return form_page(
        request,
        form=form,
        save=lambda form: _create(request, form),
        template=RECORD_FORM,
        context={
            "title": _("New nomination"),
            "cancel_url": reverse("nominations:nomination-list"),
        },
        success_message=_("The nomination was saved as a draft."),
        success_url=nomination_url,
    )


def _create(request, form):
    data = form.cleaned_data
    return nomination_create(
        cycle=data["cycle"],
        village=data["village"],
        flagship_product=data["flagship_product"],
        statement=data["statement"],
        actor=request.user,
    )


@never_cache
@staff_required
def nomination_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One nomination: its state, screening, timeline and the steps the person may take."""
    nomination = nomination_detail(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    return _detail(request, nomination)


def _detail(
    request, nomination, *, error=None, status=200, form=None, review_form=None
) -> HttpResponse:
    user = request.user
    # The decision panel: the designation, its certificate and who may decide (one query).
    nomination.designation_panel = designation_panel(user=user, nomination=nomination)
    return render(
        request,
        "nominations/nomination_detail.html",
        {
            "nomination": nomination,
            "events": list(nomination.events.all()),
            "screening": screening_for_page(nomination),
            "uniqueness": uniqueness_panel(user=user, nomination=nomination),
            "steps": transitions_available(nomination=nomination, user=user),
            "may_change": nomination.is_editable
            and nomination_can(user=user, nomination=nomination, action=NominationAction.CHANGE),
            "error": error,
            "form": form or TransitionForm(),
            "review_form": review_form or UniquenessReviewForm(),
            "shows_demo_data": nomination.is_demo,
        },
        status=status,
    )


@never_cache
@staff_required
def nomination_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft or returned nomination; 409 once it has moved on."""
    nomination = nomination_get(user=request.user, pk=pk)
    require(
        nomination_can(user=request.user, nomination=nomination, action=NominationAction.CHANGE)
    )
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    if not nomination.is_editable:
        error = _("A nomination that is “%(state)s” can no longer be changed.") % {
            "state": nomination.get_state_display()
        }
        return _detail(
            request, nomination_detail(user=request.user, pk=pk), error=error, status=409
        )
    form = NominationForm(
        posted(request),
        instance=nomination,
        user=request.user,
        products=_nomination_products(request.user),
    )
    return form_page(
        request,
        form=form,
        save=lambda form: nomination_update(
            nomination=nomination,
            data=form.cleaned_data,
            seen_version=form.cleaned_data["seen_version"],
            actor=request.user,
        ),
        template=RECORD_FORM,
        context={
            "title": _("Edit nomination: %(record)s") % {"record": nomination},
            "cancel_url": nomination_url(nomination),
        },
        success_message=_("The nomination was saved."),
        success_url=nomination_url,
    )


@never_cache
@staff_required
def nomination_transition_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take a workflow step (POST): 403 for a role that may not, 409 when the nomination is not
    in a state the step starts from, 400 without a required comment."""
    nomination = nomination_get(user=request.user, pk=pk)
    transition = transition_get(step)
    if transition is None:
        raise Http404
    if not nomination_can(user=request.user, nomination=nomination, action=transition.action):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = TransitionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        moved = nomination_transition(
            nomination=nomination, name=transition.name, actor=request.user, comment=comment
        )
    except WorkflowError as error:
        current = nomination_detail(user=request.user, pk=pk)
        return _detail(request, current, error=str(error), status=error.status, form=form)
    if moved.state == NominationState.WAITING:
        messages.warning(
            request,
            _(
                "The province's quota is used up: the nomination waits at place %(rank)d of "
                "the waiting list and moves up when a place frees."
            )
            % {"rank": moved.waiting_rank},
        )
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": transition.label})
    return redirect(nomination_url(nomination))


@never_cache
@staff_required
def nomination_uniqueness_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or refuse the uniqueness of the flagship product (POST): 403 for a role that may
    not screen, 409 outside the review's states, 400 without a comment or a decision."""
    nomination = nomination_get(user=request.user, pk=pk)
    if not nomination_can(user=request.user, nomination=nomination, action=NominationAction.SCREEN):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = UniquenessReviewForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        nomination_uniqueness_review(
            nomination=nomination,
            decision=data.get("decision", ""),
            comment=data.get("comment", ""),
            actor=request.user,
        )
    except WorkflowError as error:
        current = nomination_detail(user=request.user, pk=pk)
        return _detail(request, current, error=str(error), status=error.status, review_form=form)
    messages.success(request, _("Your review of the product's uniqueness was recorded."))
    return redirect(nomination_url(nomination) + "#uniqueness-heading")
