"""Craft unit pages: list, detail, create, update, delete."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.audit.selectors import audit_history
from desadevisa.catalog.selectors import product_scope
from desadevisa.core.pages import (
    SAFE_METHODS,
    form_page,
    list_response,
    posted,
    refuse_method,
    require,
)
from desadevisa.registry.forms import CraftUnitCreateForm, CraftUnitForm
from desadevisa.registry.lists import craft_unit_definition
from desadevisa.registry.permissions import RegistryAction, craft_unit_can, craft_unit_may_create
from desadevisa.registry.selectors import craft_unit_detail, craft_unit_get, craft_unit_list
from desadevisa.registry.services import craft_unit_create, craft_unit_delete, craft_unit_update
from desadevisa.registry.views.common import RecordPages


def detail_url(craft_unit) -> str:
    return reverse("registry:craft-unit-detail", kwargs={"pk": craft_unit.pk})


@never_cache
@staff_required
def craft_unit_list_view(request: HttpRequest) -> HttpResponse:
    """The craft units in the user's scope: search by name or owner, filter by activity,
    province and organisation, sort, export."""
    return list_response(
        request,
        craft_unit_list(user=request.user),
        craft_unit_definition(request.user),
        "registry/craft_unit_list.html",
        {"may_create": craft_unit_may_create(user=request.user)},
    )


@never_cache
@staff_required
def craft_unit_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One craft unit with its memberships, the products it makes, its photos and history."""
    unit = craft_unit_detail(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    # The products come through the catalog's own scope.
    products = list(
        product_scope(user=request.user).filter(craft_units=unit).order_by("name_en", "pk")
    )
    return render(
        request,
        "registry/craft_unit_detail.html",
        {
            "unit": unit,
            "products": products,
            "events": audit_history(obj=unit),
            "may_change": craft_unit_can(
                user=request.user, craft_unit=unit, action=RegistryAction.CHANGE
            ),
            "may_delete": craft_unit_can(
                user=request.user, craft_unit=unit, action=RegistryAction.DELETE
            ),
            "shows_demo_data": any(row.is_demo for row in [unit, *unit.membership_list, *products]),
        },
    )


@never_cache
@staff_required
def craft_unit_create_view(request: HttpRequest) -> HttpResponse:
    """Register a craft unit; an organisation manager's unit joins their organisation today."""
    require(craft_unit_may_create(user=request.user))
    form = CraftUnitCreateForm(posted(request), user=request.user)
    return form_page(
        request,
        form=form,
        save=lambda form: craft_unit_create(
            village=form.cleaned_data["village"],
            data=form.cleaned_data,
            member_of=form.cleaned_data.get("organisation"),
            actor=request.user,
        ),
        template="core/record_form.html",
        context={"title": _("New craft unit"), "cancel_url": reverse("registry:craft-unit-list")},
        success_message=_("The craft unit was registered."),
        success_url=detail_url,
    )


PAGES = RecordPages(
    can=lambda user, unit, action: craft_unit_can(user=user, craft_unit=unit, action=action),
    form=CraftUnitForm,
    update=lambda unit, **change: craft_unit_update(craft_unit=unit, **change),
    delete=lambda unit, **change: craft_unit_delete(craft_unit=unit, **change),
    return_url=detail_url,
    deleted_url=lambda unit: reverse("registry:craft-unit-list"),
    edit_title=_("Edit %(record)s"),
    saved_message=_("The craft unit was saved."),
    deleted_message=_("The craft unit was deleted."),
)


@never_cache
@staff_required
def craft_unit_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a craft unit's names, workers, capacity, business ID or active flag."""
    return PAGES.update_page(request, craft_unit_get(user=request.user, pk=pk))


@never_cache
@staff_required
def craft_unit_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a craft unit without memberships or products, and its photos."""
    return PAGES.delete_page(request, craft_unit_get(user=request.user, pk=pk))
