"""Photos of village profiles and craft units: upload, caption and order, delete, and their
renditions, served only to those who may read the record they belong to (SECURITY AC-7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.core.pages import (
    SAFE_METHODS,
    delete_page,
    form_page,
    refuse_method,
    require,
)
from desadevisa.core.uploads import image_response
from desadevisa.registry.forms import PhotoForm, PhotoUploadForm
from desadevisa.registry.permissions import RegistryAction, craft_unit_can, village_profile_can
from desadevisa.registry.selectors import (
    craft_unit_get,
    craft_unit_photo_get,
    village_profile_get_by_village,
    village_profile_photo_get,
)
from desadevisa.registry.services import (
    craft_unit_photo_add,
    photo_delete,
    photo_update,
    village_profile_photo_add,
)


@dataclass(frozen=True)
class PhotoOwner:
    """How the photo pages reach one kind of record that has photos."""

    get: Callable[..., Any]
    get_photo: Callable[..., Any]
    can: Callable[[Any, Any], bool]
    add: Callable[..., list]
    owner_keyword: str
    detail_url: Callable[[Any], str]
    owner_of: Callable[[Any], Any]


VILLAGE_PROFILE = PhotoOwner(
    get=lambda user, key: village_profile_get_by_village(user=user, code=key),
    get_photo=lambda user, key, pk: village_profile_photo_get(user=user, code=key, pk=pk),
    can=lambda user, profile: village_profile_can(
        user=user, profile=profile, action=RegistryAction.CHANGE
    ),
    add=village_profile_photo_add,
    owner_keyword="profile",
    detail_url=lambda profile: reverse(
        "registry:village-profile-detail", kwargs={"code": profile.village_id}
    ),
    owner_of=lambda photo: photo.profile,
)
CRAFT_UNIT = PhotoOwner(
    get=lambda user, key: craft_unit_get(user=user, pk=key),
    get_photo=lambda user, key, pk: craft_unit_photo_get(user=user, craft_unit_pk=key, pk=pk),
    can=lambda user, unit: craft_unit_can(user=user, craft_unit=unit, action=RegistryAction.CHANGE),
    add=craft_unit_photo_add,
    owner_keyword="craft_unit",
    detail_url=lambda unit: reverse("registry:craft-unit-detail", kwargs={"pk": unit.pk}),
    owner_of=lambda photo: photo.craft_unit,
)


def _add(request: HttpRequest, kind: PhotoOwner, key) -> HttpResponse:
    owner = kind.get(request.user, key)
    require(kind.can(request.user, owner))
    posted = request.method == "POST"
    form = PhotoUploadForm(request.POST if posted else None, request.FILES if posted else None)

    def save(form):
        try:
            return kind.add(
                **{kind.owner_keyword: owner},
                uploads=form.cleaned_data["photos"],
                caption=form.cleaned_data["caption"],
                actor=request.user,
            )
        except ValidationError as error:
            raise ValidationError({"photos": error.error_list}) from None

    return form_page(
        request,
        form=form,
        save=save,
        template="registry/photo_form.html",
        context={
            "title": _("Add photos of %(record)s") % {"record": owner},
            "multipart": True,
            "cancel_url": kind.detail_url(owner),
        },
        success_message=_("The photos were added."),
        success_url=lambda _photos: kind.detail_url(owner),
    )


def _update(request: HttpRequest, kind: PhotoOwner, key, pk: int) -> HttpResponse:
    photo = kind.get_photo(request.user, key, pk)
    owner = kind.owner_of(photo)
    require(kind.can(request.user, owner))
    posted = request.method == "POST"
    form = PhotoForm(
        request.POST if posted else None,
        initial={"caption": photo.caption, "position": photo.position},
    )
    return form_page(
        request,
        form=form,
        save=lambda form: photo_update(
            photo=photo, owner=owner, data=form.cleaned_data, actor=request.user
        ),
        template="registry/photo_form.html",
        context={
            "title": _("Edit photo of %(record)s") % {"record": owner},
            "photo": photo,
            "cancel_url": kind.detail_url(owner),
        },
        success_message=_("The photo was saved."),
        success_url=lambda _photo: kind.detail_url(owner),
    )


def _delete(request: HttpRequest, kind: PhotoOwner, key, pk: int) -> HttpResponse:
    photo = kind.get_photo(request.user, key, pk)
    owner = kind.owner_of(photo)
    require(kind.can(request.user, owner))
    return delete_page(
        request,
        record=photo,
        delete=lambda: photo_delete(photo=photo, owner=owner, actor=request.user),
        context={"cancel_url": kind.detail_url(owner)},
        success_message=_("The photo was deleted."),
        success_url=kind.detail_url(owner),
    )


def _file(request: HttpRequest, kind: PhotoOwner, key, pk: int, rendition: str) -> HttpResponse:
    photo = kind.get_photo(request.user, key, pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    try:
        stored = photo.rendition(rendition)
    except KeyError:
        raise Http404 from None
    return image_response(request, stored, public=False)


# Village profiles ----------------------------------------------------------------------------


@never_cache
@staff_required
def village_profile_photo_add_view(request: HttpRequest, code: str) -> HttpResponse:
    """Upload one or several photos of a village."""
    return _add(request, VILLAGE_PROFILE, code)


@never_cache
@staff_required
def village_profile_photo_update_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Change a village photo's caption or position."""
    return _update(request, VILLAGE_PROFILE, code, pk)


@never_cache
@staff_required
def village_profile_photo_delete_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Delete a village photo and its files."""
    return _delete(request, VILLAGE_PROFILE, code, pk)


@staff_required
def village_profile_photo_view(
    request: HttpRequest, code: str, pk: int, rendition: str
) -> HttpResponse:
    """A rendition (thumbnail, card or full) of a village photo, for readers of the profile."""
    return _file(request, VILLAGE_PROFILE, code, pk, rendition)


# Craft units ---------------------------------------------------------------------------------


@never_cache
@staff_required
def craft_unit_photo_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload one or several photos of a craft unit."""
    return _add(request, CRAFT_UNIT, pk)


@never_cache
@staff_required
def craft_unit_photo_update_view(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """Change a craft unit photo's caption or position."""
    return _update(request, CRAFT_UNIT, pk, photo_pk)


@never_cache
@staff_required
def craft_unit_photo_delete_view(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """Delete a craft unit photo and its files."""
    return _delete(request, CRAFT_UNIT, pk, photo_pk)


@staff_required
def craft_unit_photo_view(
    request: HttpRequest, pk: int, photo_pk: int, rendition: str
) -> HttpResponse:
    """A rendition (thumbnail, card or full) of a craft unit photo, for readers of the unit."""
    return _file(request, CRAFT_UNIT, pk, photo_pk, rendition)
