"""Changes to the registry: village profiles, organisations, craft units, memberships and photos.

Each service owns its transaction and records one audit event. Updates lock the row and refuse
to write over a version saved after the form was opened (``core.editing``). Rows are checked
with ``full_clean`` before they are written, so a broken rule is a ValidationError with the
model's message, never a database error. Photo files are deleted from storage only once the
deletion of their rows has committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import (
    audit_changes,
    audit_record,
    audit_snapshot,
    audited_create,
    audited_update,
)
from desadevisa.core.editing import RecordInUse
from desadevisa.core.models import Photo
from desadevisa.core.uploads import ProcessedImage, image_process
from desadevisa.regions.models import Village
from desadevisa.registry.models import (
    CraftUnit,
    CraftUnitPhoto,
    Membership,
    Organisation,
    VillageProfile,
    VillageProfilePhoto,
)

# The fields the forms may change, per model.
VILLAGE_PROFILE_FIELDS = (
    "latitude",
    "longitude",
    "story_id",
    "story_en",
    "flagship_commodity",
    "is_public",
)
ORGANISATION_FIELDS = ("kind", "legal_name", "registration_number", "address")
CRAFT_UNIT_FIELDS = (
    "name",
    "owner_name",
    "workers_women",
    "workers_men",
    "monthly_capacity",
    "capacity_unit",
    "business_id",
    "is_active",
)
MEMBERSHIP_FIELDS = ("started_on", "ended_on")
PHOTO_FIELDS = ("caption", "position")


# Shared steps --------------------------------------------------------------------------------


def _dependants(obj: models.Model, relations: Iterable[str]) -> list[tuple[str, int]]:
    found = []
    for relation in relations:
        manager = getattr(obj, relation)
        count = manager.count()
        if count:
            found.append((str(manager.model._meta.verbose_name_plural), count))
    return found


def _delete(obj: models.Model, *, actor, relations: Iterable[str] = ()) -> None:
    """Delete ``obj`` and record it, or raise RecordInUse when rows of ``relations`` (or any
    protected row) still depend on it."""
    dependants = _dependants(obj, relations)
    if dependants:
        raise RecordInUse(obj, dependants)
    audit_record(
        actor=actor,
        action=AuditAction.DELETED,
        obj=obj,
        changes=audit_changes(audit_snapshot(obj), {}),
    )
    try:
        with transaction.atomic():
            obj.delete()
    except (models.ProtectedError, models.RestrictedError) as error:
        blocking = (
            error.protected_objects
            if hasattr(error, "protected_objects")
            else error.restricted_objects
        )
        counts: dict[str, int] = {}
        for row in blocking:
            label = str(row._meta.verbose_name_plural)
            counts[label] = counts.get(label, 0) + 1
        raise RecordInUse(obj, sorted(counts.items())) from None


def _delete_files_on_commit(names: Iterable[str]) -> None:
    names = [name for name in names if name]
    if names:
        transaction.on_commit(partial(_delete_files, names))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# Village profiles ----------------------------------------------------------------------------


@transaction.atomic
def village_profile_create(*, village: Village, data: Mapping[str, Any], actor) -> VillageProfile:
    """Give ``village`` a profile. ValidationError when it already has one or the data breaks
    a rule; the location defaults to the village's official centroid."""
    profile = VillageProfile(village=village)
    for name in VILLAGE_PROFILE_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    return audited_create(profile, actor=actor)


@transaction.atomic
def village_profile_update(
    *, profile: VillageProfile, data: Mapping[str, Any], seen_version: str, actor
) -> VillageProfile:
    """Change the profile's location, stories, commodity or publication; EditConflict when it
    was saved after ``seen_version``."""
    return audited_update(
        VillageProfile,
        profile,
        data=data,
        fields=VILLAGE_PROFILE_FIELDS,
        seen_version=seen_version,
        actor=actor,
    )


@transaction.atomic
def village_profile_delete(*, profile: VillageProfile, actor) -> None:
    """Delete the profile with its photos (their files once committed). RecordInUse while
    organisations, craft units or products are registered in the village."""
    village = profile.village
    dependants = _dependants(village, ("organisations", "craft_units", "products"))
    if dependants:
        raise RecordInUse(profile, dependants)
    files = [name for photo in profile.photos.all() for name in photo.stored_files()]
    _delete(profile, actor=actor)
    _delete_files_on_commit(files)


# Organisations -------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, village: Village, data: Mapping[str, Any], actor) -> Organisation:
    """Register an organisation based in ``village``."""
    organisation = Organisation(village=village)
    for name in ORGANISATION_FIELDS:
        if name in data:
            setattr(organisation, name, data[name])
    return audited_create(organisation, actor=actor)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, data: Mapping[str, Any], seen_version: str, actor
) -> Organisation:
    """Change the organisation's kind, names, registration or address; EditConflict when it
    was saved after ``seen_version``."""
    return audited_update(
        Organisation,
        organisation,
        data=data,
        fields=ORGANISATION_FIELDS,
        seen_version=seen_version,
        actor=actor,
    )


@transaction.atomic
def organisation_delete(*, organisation: Organisation, actor) -> None:
    """Delete the organisation. RecordInUse while it has memberships, managers or pending
    invitations."""
    _delete(organisation, actor=actor, relations=("memberships", "role_assignments", "invitations"))


# Craft units ---------------------------------------------------------------------------------


@transaction.atomic
def craft_unit_create(
    *,
    village: Village,
    data: Mapping[str, Any],
    actor,
    member_of: Organisation | None = None,
) -> CraftUnit:
    """Register a craft unit in ``village``. With ``member_of`` (an organisation manager
    registering a unit), the unit also starts a running membership of that organisation today,
    recorded as its own event."""
    unit = CraftUnit(village=village)
    for name in CRAFT_UNIT_FIELDS:
        if name in data:
            setattr(unit, name, data[name])
    audited_create(unit, actor=actor)
    if member_of is not None:
        membership_create(
            craft_unit=unit,
            organisation=member_of,
            data={"started_on": timezone.localdate(), "ended_on": None},
            actor=actor,
        )
    return unit


@transaction.atomic
def craft_unit_update(
    *, craft_unit: CraftUnit, data: Mapping[str, Any], seen_version: str, actor
) -> CraftUnit:
    """Change the unit's names, workers, capacity, business ID or active flag; EditConflict
    when it was saved after ``seen_version``."""
    return audited_update(
        CraftUnit,
        craft_unit,
        data=data,
        fields=CRAFT_UNIT_FIELDS,
        seen_version=seen_version,
        actor=actor,
    )


@transaction.atomic
def craft_unit_delete(*, craft_unit: CraftUnit, actor) -> None:
    """Delete the unit with its photos (their files once committed). RecordInUse while it has
    memberships or products name it as their maker: mark it inactive instead."""
    files = [name for photo in craft_unit.photos.all() for name in photo.stored_files()]
    _delete(craft_unit, actor=actor, relations=("memberships", "products"))
    _delete_files_on_commit(files)


# Memberships ---------------------------------------------------------------------------------


@transaction.atomic
def membership_create(
    *, craft_unit: CraftUnit, organisation: Organisation, data: Mapping[str, Any], actor
) -> Membership:
    """Make ``craft_unit`` a member of ``organisation`` from ``started_on`` (to ``ended_on``,
    its last day, if given). ValidationError for a unit of another village, a second running
    membership or the same first day twice."""
    if craft_unit.village_id != organisation.village_id:
        raise ValidationError(
            {"craft_unit": _("Only a craft unit of the organisation's village can join it.")}
        )
    membership = Membership(
        craft_unit=craft_unit,
        organisation=organisation,
        started_on=data["started_on"],
        ended_on=data.get("ended_on"),
    )
    return audited_create(membership, actor=actor)


@transaction.atomic
def membership_update(
    *, membership: Membership, data: Mapping[str, Any], seen_version: str, actor
) -> Membership:
    """Change the first or last day of a membership (ending it, say); EditConflict when it was
    saved after ``seen_version``."""
    return audited_update(
        Membership,
        membership,
        data=data,
        fields=MEMBERSHIP_FIELDS,
        seen_version=seen_version,
        actor=actor,
    )


@transaction.atomic
def membership_delete(*, membership: Membership, actor) -> None:
    """Delete a membership entered by mistake (one that ended is ended, not deleted)."""
    _delete(membership, actor=actor)


# Photos --------------------------------------------------------------------------------------


def photos_process(uploads: Sequence[UploadedFile]) -> list[ProcessedImage]:
    """The renditions of every upload, or ValidationError naming each file refused; runs
    before anything is stored."""
    processed, errors = [], []
    for upload in uploads:
        try:
            processed.append(image_process(upload))
        except ValidationError as error:
            for message in error.messages:
                errors.append(
                    ValidationError(
                        format_lazy("{name}: {message}", name=upload.name, message=message),
                        code=error.code or "invalid",
                    )
                )
    if errors:
        raise ValidationError(errors)
    return processed


def _photos_add(
    owner: models.Model,
    photos: models.Manager,
    make: type[Photo],
    owner_field: str,
    *,
    uploads: Sequence[UploadedFile],
    caption: str,
    actor,
) -> list[Photo]:
    images = photos_process(uploads)
    last = photos.aggregate(last=Max("position"))["last"]
    position = 0 if last is None else last + 1
    added: list[Photo] = []
    try:
        for offset, image in enumerate(images):
            photo = make(**{owner_field: owner}, caption=caption, position=position + offset)
            photo.set_image(image)
            added.append(photo)
            photo.full_clean()
            photo.save()
    except BaseException:
        # The files of a failed upload are written already: take them back.
        _delete_files([name for photo in added for name in photo.stored_files()])
        raise
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        obj=owner,
        summary=ngettext("%(count)s photo added", "%(count)s photos added", len(added))
        % {"count": len(added)},
    )
    return added


@transaction.atomic
def village_profile_photo_add(
    *, profile: VillageProfile, uploads: Sequence[UploadedFile], caption: str = "", actor
) -> list[VillageProfilePhoto]:
    """Add photos to the profile, after the others, with one caption. ValidationError naming
    each file that is not an acceptable picture; then nothing is stored."""
    return _photos_add(
        profile,
        profile.photos,
        VillageProfilePhoto,
        "profile",
        uploads=uploads,
        caption=caption,
        actor=actor,
    )


@transaction.atomic
def craft_unit_photo_add(
    *, craft_unit: CraftUnit, uploads: Sequence[UploadedFile], caption: str = "", actor
) -> list[CraftUnitPhoto]:
    """Add photos to the craft unit, as ``village_profile_photo_add``."""
    return _photos_add(
        craft_unit,
        craft_unit.photos,
        CraftUnitPhoto,
        "craft_unit",
        uploads=uploads,
        caption=caption,
        actor=actor,
    )


@transaction.atomic
def photo_update(*, photo: Photo, owner: models.Model, data: Mapping[str, Any], actor) -> Photo:
    """Change a photo's caption or position (its place in the order); recorded on ``owner``,
    the profile or unit it belongs to."""
    before = audit_snapshot(photo, PHOTO_FIELDS)
    for name in PHOTO_FIELDS:
        if name in data:
            setattr(photo, name, data[name])
    after = audit_snapshot(photo, PHOTO_FIELDS)
    changes = audit_changes(before, after)
    if changes:
        photo.full_clean()
        photo.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            obj=owner,
            changes={f"photo {photo.pk} {name}": values for name, values in changes.items()},
        )
    return photo


@transaction.atomic
def photo_delete(*, photo: Photo, owner: models.Model, actor) -> None:
    """Delete a photo; its files go from storage once the deletion commits. Recorded on
    ``owner``."""
    files = photo.stored_files()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        obj=owner,
        summary=gettext("Photo deleted: %(photo)s") % {"photo": photo},
    )
    photo.delete()
    _delete_files_on_commit(files)
