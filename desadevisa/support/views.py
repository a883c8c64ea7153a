"""The support pages: the support list across villages, an item with its disbursements and
deliverables, the item form and its deletion, the disbursement and deliverable forms and their
deletion (national roles), and the deliverable's file (readers of the item).

Every page about an item fetches it, or its disbursement or deliverable, through a scoped
selector first (404 outside the scope), then asks the permission (403), then looks at the
method. Deleting an item asks to confirm; a disbursement or a deliverable is deleted by the
button on its row of the item page (POST only).
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.core.pages import (
    FORM_METHODS,
    SAFE_METHODS,
    add_service_errors,
    form_page,
    list_response,
    posted,
    refuse_method,
    require,
)
from desadevisa.core.uploads import file_response
from desadevisa.nominations.models import DesignationStatus
from desadevisa.nominations.selectors import designation_get, designation_scope
from desadevisa.support.forms import DesignDeliverableForm, DisbursementForm, SupportItemForm
from desadevisa.support.lists import support_item_definition
from desadevisa.support.models import SupportItem
from desadevisa.support.outcomes import village_outcomes
from desadevisa.support.permissions import SupportAction, support_item_can, support_may_plan
from desadevisa.support.selectors import (
    design_deliverable_get,
    disbursement_get,
    support_item_detail,
    support_item_get,
    support_item_list,
    support_village_get,
    village_support_plan,
)
from desadevisa.support.services import (
    design_deliverable_add,
    design_deliverable_delete,
    disbursement_add,
    disbursement_delete,
    rupiah,
    support_item_create,
    support_item_delete,
    support_item_update,
)

ITEM_FORM = "support/item_form.html"


def item_url(item: SupportItem) -> str:
    return reverse("support:item-detail", kwargs={"pk": item.pk})


def _detail(
    request,
    item: SupportItem,
    *,
    disbursement_form: DisbursementForm | None = None,
    deliverable_form: DesignDeliverableForm | None = None,
    status: int = 200,
):
    may_change = support_item_can(user=request.user, item=item, action=SupportAction.CHANGE)
    context = {
        "item": item,
        "disbursement_form": disbursement_form or DisbursementForm(),
        "deliverable_form": deliverable_form or DesignDeliverableForm(),
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
    return _detail(request, item)


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
    return _detail(request, item, disbursement_form=form, status=400)


@never_cache
@staff_required
def item_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then delete a support item with its deliverables (national roles); an
    item with disbursements is refused (409) with the reason: it is cancelled instead."""
    item = support_item_detail(user=request.user, pk=pk)
    require(support_item_can(user=request.user, item=item, action=SupportAction.CHANGE))
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    error, status = None, 200
    if request.method == "POST":
        try:
            support_item_delete(item=item, actor=request.user)
        except ValidationError as invalid:
            error, status = " ".join(invalid.messages), 409
        else:
            messages.success(request, _("The support item was deleted."))
            return redirect("support:village-plan", code=item.designation.nomination.village_id)
    context = {"item": item, "error": error, "shows_demo_data": item.is_demo}
    return render(request, "support/item_delete.html", context, status=status)


@never_cache
@staff_required
def disbursement_delete_view(request: HttpRequest, pk: int, disbursement_pk: int) -> HttpResponse:
    """Delete a disbursement recorded by mistake (national roles, POST only); the item page
    then shows the outstanding balance recomputed."""
    disbursement = disbursement_get(user=request.user, item_pk=pk, pk=disbursement_pk)
    item = disbursement.item
    require(support_item_can(user=request.user, item=item, action=SupportAction.CHANGE))
    if refused := refuse_method(request, ["POST"]):
        return refused
    try:
        outstanding = disbursement_delete(disbursement=disbursement, actor=request.user)
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(
            request,
            _("The disbursement was deleted: IDR %(outstanding)s is outstanding.")
            % {"outstanding": rupiah(outstanding)},
        )
    return redirect(item_url(item))


@never_cache
@staff_required
def deliverable_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a deliverable of a product design item, with its file (national roles); errors
    show on the item page."""
    item = support_item_detail(user=request.user, pk=pk)
    require(support_item_can(user=request.user, item=item, action=SupportAction.CHANGE))
    if refused := refuse_method(request, ["POST"]):
        return refused
    form = DesignDeliverableForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            design_deliverable_add(
                item=item,
                title=form.cleaned_data["title"],
                delivered_on=form.cleaned_data["delivered_on"],
                upload=form.cleaned_data["file"] or None,
                actor=request.user,
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("The deliverable was recorded."))
            return redirect(item_url(item))
    return _detail(request, item, deliverable_form=form, status=400)


@never_cache
@staff_required
def deliverable_delete_view(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    """Delete a deliverable and its file (national roles, POST only)."""
    deliverable = design_deliverable_get(user=request.user, item_pk=pk, pk=deliverable_pk)
    item = deliverable.item
    require(support_item_can(user=request.user, item=item, action=SupportAction.CHANGE))
    if refused := refuse_method(request, ["POST"]):
        return refused
    try:
        design_deliverable_delete(deliverable=deliverable, actor=request.user)
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, _("The deliverable was deleted."))
    return redirect(item_url(item))


@never_cache
@staff_required
def deliverable_file_view(request: HttpRequest, pk: int, deliverable_pk: int) -> FileResponse:
    """A deliverable's file as a download (SECURITY AC-7), for the readers of its item; 404
    outside the scope or without a file."""
    deliverable = design_deliverable_get(user=request.user, item_pk=pk, pk=deliverable_pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    if not deliverable.file or not deliverable.file.storage.exists(deliverable.file.name):
        raise Http404
    name = slugify(Path(deliverable.title).name)[:80] or f"deliverable-{deliverable.pk}"
    return file_response(deliverable.file, download_name=name)


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
