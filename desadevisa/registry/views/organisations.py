"""Organisation pages, and the memberships added from them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.accounts.scopes import user_scope
from desadevisa.audit.selectors import audit_history
from desadevisa.core.pages import (
    SAFE_METHODS,
    form_page,
    list_response,
    posted,
    refuse_method,
    require,
)
from desadevisa.registry.forms import (
    MembershipCreateForm,
    MembershipForm,
    OrganisationCreateForm,
    OrganisationForm,
)
from desadevisa.registry.lists import membership_definition, organisation_definition
from desadevisa.registry.models import CraftUnit
from desadevisa.registry.permissions import (
    RegistryAction,
    membership_can,
    membership_can_create,
    membership_changes_any,
    membership_creatable_units,
    organisation_can,
    organisation_may_create,
)
from desadevisa.registry.selectors import (
    craft_unit_visibility,
    membership_get,
    membership_list,
    organisation_detail,
    organisation_get,
    organisation_list,
)
from desadevisa.registry.services import (
    membership_create,
    membership_delete,
    membership_update,
    organisation_create,
    organisation_delete,
    organisation_update,
)
from desadevisa.registry.views.common import RecordPages


def detail_url(organisation) -> str:
    return reverse("registry:organisation-detail", kwargs={"pk": organisation.pk})


def membership_return_url(membership) -> str:
    return reverse("registry:organisation-detail", kwargs={"pk": membership.organisation_id})


# Organisations -------------------------------------------------------------------------------


@never_cache
@staff_required
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    """The organisations in the user's scope: search by legal name or registration number,
    filter by kind and province, sort, export."""
    return list_response(
        request,
        organisation_list(user=request.user),
        organisation_definition(request.user),
        "registry/organisation_list.html",
        {"may_create": organisation_may_create(user=request.user)},
    )


@never_cache
@staff_required
def organisation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation with its running and past memberships and its history."""
    organisation = organisation_detail(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    memberships = organisation.running_membership_list + organisation.other_membership_list
    user = request.user
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "organisation": organisation,
            "events": audit_history(obj=organisation),
            "may_change": organisation_can(
                user=user, organisation=organisation, action=RegistryAction.CHANGE
            ),
            "may_delete": organisation_can(
                user=user, organisation=organisation, action=RegistryAction.DELETE
            ),
            "may_add_member": membership_can_create(user=user, organisation=organisation),
            "shows_demo_data": any(row.is_demo for row in [organisation, *memberships]),
        },
    )


@never_cache
@staff_required
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    """Register an organisation in a village of the user's provinces."""
    require(organisation_may_create(user=request.user))
    form = OrganisationCreateForm(posted(request), user=request.user)
    return form_page(
        request,
        form=form,
        save=lambda form: organisation_create(
            village=form.cleaned_data["village"], data=form.cleaned_data, actor=request.user
        ),
        template="core/record_form.html",
        context={
            "title": _("New organisation"),
            "cancel_url": reverse("registry:organisation-list"),
        },
        success_message=_("The organisation was registered."),
        success_url=detail_url,
    )


ORGANISATION_PAGES = RecordPages(
    can=lambda user, organisation, action: organisation_can(
        user=user, organisation=organisation, action=action
    ),
    form=OrganisationForm,
    update=lambda organisation, **change: organisation_update(organisation=organisation, **change),
    delete=lambda organisation, **change: organisation_delete(organisation=organisation, **change),
    return_url=detail_url,
    deleted_url=lambda organisation: reverse("registry:organisation-list"),
    edit_title=_("Edit %(record)s"),
    saved_message=_("The organisation was saved."),
    deleted_message=_("The organisation was deleted."),
)


@never_cache
@staff_required
def organisation_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an organisation's kind, legal name, registration number or address."""
    return ORGANISATION_PAGES.update_page(request, organisation_get(user=request.user, pk=pk))


@never_cache
@staff_required
def organisation_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an organisation that has no memberships, managers or invitations left."""
    return ORGANISATION_PAGES.delete_page(request, organisation_get(user=request.user, pk=pk))


# Memberships ---------------------------------------------------------------------------------


@never_cache
@staff_required
def membership_list_view(request: HttpRequest) -> HttpResponse:
    """The memberships in the user's scope: search by unit or organisation, filter by kind,
    running or ended and province, sort, export."""
    return list_response(
        request,
        membership_list(user=request.user),
        membership_definition(request.user),
        "registry/membership_list.html",
        {"may_change": membership_changes_any(user=request.user)},
    )


@never_cache
@staff_required
def membership_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a craft unit of the organisation's village a member of organisation ``pk``."""
    organisation = organisation_get(user=request.user, pk=pk)
    require(membership_can_create(user=request.user, organisation=organisation))
    scope = user_scope(request.user)
    units = CraftUnit.objects.filter(
        membership_creatable_units(scope, organisation), craft_unit_visibility(scope)
    ).order_by("name", "pk")
    form = MembershipCreateForm(posted(request), craft_units=units)
    return form_page(
        request,
        form=form,
        save=lambda form: membership_create(
            craft_unit=form.cleaned_data["craft_unit"],
            organisation=organisation,
            data=form.cleaned_data,
            actor=request.user,
        ),
        template="core/record_form.html",
        context={
            "title": _("New member of %(organisation)s") % {"organisation": organisation},
            "cancel_url": detail_url(organisation),
        },
        success_message=_("The membership was recorded."),
        success_url=membership_return_url,
    )


MEMBERSHIP_PAGES = RecordPages(
    can=lambda user, membership, action: membership_can(
        user=user, membership=membership, action=action
    ),
    form=MembershipForm,
    update=lambda membership, **change: membership_update(membership=membership, **change),
    delete=lambda membership, **change: membership_delete(membership=membership, **change),
    return_url=membership_return_url,
    deleted_url=membership_return_url,
    edit_title=_("Edit membership: %(record)s"),
    saved_message=_("The membership was saved."),
    deleted_message=_("The membership was deleted."),
)


@never_cache
@staff_required
def membership_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a membership's first or last day: ending it, say."""
    return MEMBERSHIP_PAGES.update_page(request, membership_get(user=request.user, pk=pk))


@never_cache
@staff_required
def membership_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a membership entered by mistake."""
    return MEMBERSHIP_PAGES.delete_page(request, membership_get(user=request.user, pk=pk))
