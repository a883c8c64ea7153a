"""The support pages: the support list across villages, an item with its disbursements and
deliverables, the item form (national roles) and the disbursement form.

Every page about an item fetches it through ``support_item_get`` or ``support_item_detail``
first (404 outside the scope), then asks the permission (403), then looks at the method.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.nominations.models import DesignationStatus
from desadevisa.nominations.selectors import designation_get, designation_scope
from desadevisa.registry.views.common import (
    SAFE_METHODS,
    add_service_errors,
    form_page,
    list_response,
    posted,
    refuse_method,
    require,
)
from desadevisa.support.forms import DisbursementForm, SupportItemForm
from desadevisa.support.lists import support_item_definition
from desadevisa.support.models import SupportItem
from desadevisa.support.outcomes import village_outcomes
from desadevisa.support.permissions import SupportAction, support_item_can, support_may_plan
from desadevisa.support.selectors import (
    support_item_detail,
    support_item_get,
    support_item_list,
    support_village_get,
    village_support_plan,
)
from desadevisa.support.services import disbursement_add, support_item_create, support_item_update

ITEM_FORM = "support/item_form.html"


def item_url(item: SupportItem) -> str:
    return reverse("support:item-detail", kwargs={"pk": item.pk})


def _detail(request, item: SupportItem, form: DisbursementForm, *, status: int = 200):
    may_change = support_item_can(user=request.user, item=item, action=SupportAction.CHANGE)
    context = {
        "item": item,
        "disbursement_form": form,
        "may_change": may_change,
        "shows_demo_data": item.is_demo,
    }
    return render(request, "support/item_detail.html", context, status=status)


@never_cache
@staff_required
def item_list_view(request: HttpRequest) -> HttpResponse:
    """The support items in the person's scope across villages: search, filter, export."""
    return list_response(
        request,
        support_item_list(user=request.user),
        support_item_definition(request.user),
        "support/item_list.html",
    )


@never_cache
@staff_required
def item_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A support item: its fields, disbursements with the outstanding balance, deliverables."""
    item = support_item_detail(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    return _detail(request, item, DisbursementForm())


@never_cache
@staff_required
def item_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a support item for the designation ``pk``'s village (national roles)."""
    designation = designation_get(user=request.user, pk=pk)
    require(support_may_plan(user=request.user))
    village = designation.nomination.village
    return form_page(
        request,
        form=SupportItemForm(posted(request)),
        save=lambda form: support_item_create(
            designation=designation, values=form.values(), actor=request.user
        ),
        template=ITEM_FORM,
        context={
            "title": _("Plan support for %(village)s") % {"village": village.name},
            "cancel_url": reverse("support:item-list"),
        },
        success_message=_("The support item was saved."),
        success_url=item_url,
    )


@never_cache
@staff_required
def item_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a support item (national roles); an item keeps its kind."""
    item = support_item_get(user=request.user, pk=pk)
    require(support_item_can(user=request.user, item=item, action=SupportAction.CHANGE))
    return form_page(
        request,
        form=SupportItemForm(posted(request), item=item),
        save=lambda form: support_item_update(
            item=item,
            values=form.values(),
            seen_version=form.cleaned_data["seen_version"],
            actor=request.user,
        ),
        template=ITEM_FORM,
        context={
            "title": _("Edit %(record)s") % {"record": item},
            "item": item,
            "cancel_url": item_url(item),
        },
        success_message=_("The support item was saved."),
        success_url=item_url,
    )


@never_cache
@staff_required
def disbursement_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a tranche of a financing item (national roles); errors show on the item page."""
    item = support_item_detail(user=request.user, pk=pk)
    require(support_item_can(user=request.user, item=item, action=SupportAction.CHANGE))
    if refused := refuse_method(request, ["POST"]):
        return refused
    form = DisbursementForm(request.POST)
    if form.is_valid():
        try:
            disbursement_add(
                item=item,
                disbursed_on=form.cleaned_data["disbursed_on"],
                amount_idr=form.cleaned_data["amount_idr"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("The disbursement was recorded."))
            return redirect(item_url(item))
    return _detail(request, item, form, status=400)


@never_cache
@staff_required
def village_plan_view(request: HttpRequest, code: str) -> HttpResponse:
    """A village's support plan with what it achieved: exports in the 12 months before and
    after support started, new destination countries, workers employed. Readers of the
    village's support only (404 otherwise); the national roles plan from here."""
    village = support_village_get(user=request.user, code=code)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    items = village_support_plan(user=request.user, village_code=code)
    may_plan = support_may_plan(user=request.user)
    designations = (
        designation_scope(user=request.user)
        .filter(nomination__village_id=code, status=DesignationStatus.DESIGNATED)
        .order_by("-designated_on", "pk")
        if may_plan
        else []
    )
    context = {
        "village": village,
        "items": items,
        "outcome": village_outcomes([code])[code],
        "designations": designations,
        "may_plan": may_plan,
        "shows_demo_data": any(item.is_demo for item in items),
    }
    return render(request, "support/village_plan.html", context)
