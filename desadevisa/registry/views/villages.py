"""Village profile pages: list, detail, create, update, delete."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.audit.selectors import audit_history
from desadevisa.catalog.selectors import village_product_list
from desadevisa.core.pages import (
    SAFE_METHODS,
    form_page,
    list_response,
    posted,
    refuse_method,
    require,
)
from desadevisa.registry.forms import VillageProfileCreateForm, VillageProfileForm
from desadevisa.registry.lists import village_profile_definition
from desadevisa.registry.permissions import (
    RegistryAction,
    village_profile_can,
    village_profile_may_create,
)
from desadevisa.registry.selectors import (
    village_profile_detail,
    village_profile_get_by_village,
    village_profile_list,
)
from desadevisa.registry.services import (
    village_profile_create,
    village_profile_delete,
    village_profile_update,
)
from desadevisa.registry.views.common import RecordPages


def detail_url(profile) -> str:
    return reverse("registry:village-profile-detail", kwargs={"code": profile.village_id})


@never_cache
@staff_required
def village_profile_list_view(request: HttpRequest) -> HttpResponse:
    """The village profiles in the user's scope: search by village name, filter by province
    and publication, sort, export."""
    return list_response(
        request,
        village_profile_list(user=request.user),
        village_profile_definition(request.user),
        "registry/village_profile_list.html",
        {"may_create": village_profile_may_create(user=request.user)},
    )


@never_cache
@staff_required
def village_profile_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """One village profile with its photos, organisations, active craft units, products and
    history; 404 when the profile is outside the user's scope, whatever the method."""
    profile = village_profile_detail(user=request.user, code=code)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    # The catalog's rows of this village, read through the catalog's own scope.
    products = list(village_product_list(user=request.user, village_code=code))
    records = [profile, *profile.organisation_list, *profile.active_craft_unit_list, *products]
    return render(
        request,
        "registry/village_profile_detail.html",
        {
            "profile": profile,
            "products": products,
            "events": audit_history(obj=profile),
            "may_change": village_profile_can(
                user=request.user, profile=profile, action=RegistryAction.CHANGE
            ),
            "shows_demo_data": any(record.is_demo for record in records),
        },
    )


@never_cache
@staff_required
def village_profile_create_view(request: HttpRequest) -> HttpResponse:
    """Give a village of the user's provinces a profile, the village chosen by its code."""
    require(village_profile_may_create(user=request.user))
    form = VillageProfileCreateForm(posted(request), user=request.user)
    return form_page(
        request,
        form=form,
        save=lambda form: village_profile_create(
            village=form.cleaned_data["village"], data=form.cleaned_data, actor=request.user
        ),
        template="core/record_form.html",
        context={
            "title": _("New village profile"),
            "cancel_url": reverse("registry:village-profile-list"),
        },
        success_message=_("The village profile was created."),
        success_url=detail_url,
    )


PAGES = RecordPages(
    can=lambda user, profile, action: village_profile_can(
        user=user, profile=profile, action=action
    ),
    form=VillageProfileForm,
    update=lambda profile, **change: village_profile_update(profile=profile, **change),
    delete=lambda profile, **change: village_profile_delete(profile=profile, **change),
    return_url=detail_url,
    deleted_url=lambda profile: reverse("registry:village-profile-list"),
    edit_title=_("Edit %(record)s"),
    saved_message=_("The village profile was saved."),
    deleted_message=_("The village profile was deleted."),
)


@never_cache
@staff_required
def village_profile_update_view(request: HttpRequest, code: str) -> HttpResponse:
    """Change a profile's location, stories, commodity and publication."""
    return PAGES.update_page(request, village_profile_get_by_village(user=request.user, code=code))


@never_cache
@staff_required
def village_profile_delete_view(request: HttpRequest, code: str) -> HttpResponse:
    """Delete a profile and its photos once nothing is registered in the village any more."""
    return PAGES.delete_page(request, village_profile_get_by_village(user=request.user, code=code))
