"""Who may reach the registry's pages, for the permission matrix.

Pages that act on a record answer 403 to those who read it but may not act (SECURITY AC-6)
and 404 to everyone else; pages that create records answer 403 to signed-in people who may
create none.
"""

from __future__ import annotations

from collections.abc import Callable

from desadevisa.core.tests.matrix import (
    NATIONAL_READERS,
    NATIONAL_ROLES,
    ROLES,
    SIGNED_IN,
    Access,
    ObjectScoped,
    SignedIn,
)

EVERYONE = frozenset(ROLES)
NATIONAL = frozenset(NATIONAL_ROLES)
OFFICERS = NATIONAL | {"provincial_officer"}
OFFICERS_AND_MANAGERS = OFFICERS | {"organisation_manager"}


def _profile(world, records) -> dict[str, object]:
    return {"code": records.profile.village_id}


def _village_photo(world, records) -> dict[str, object]:
    return {"code": records.profile.village_id, "pk": records.village_photo.pk}


def _organisation(world, records) -> dict[str, object]:
    return {"pk": records.organisation.pk}


def _membership(world, records) -> dict[str, object]:
    return {"pk": records.membership.pk}


def _unit(world, records) -> dict[str, object]:
    return {"pk": records.member_unit.pk}


def _unit_photo(world, records) -> dict[str, object]:
    return {"pk": records.member_unit.pk, "photo_pk": records.unit_photo.pk}


def _read(kwargs: Callable[..., dict[str, object]]) -> ObjectScoped:
    return ObjectScoped(kwargs=kwargs, readers=EVERYONE, readers_everywhere=NATIONAL_READERS)


def _act(kwargs: Callable[..., dict[str, object]], actors: frozenset[str]) -> ObjectScoped:
    return ObjectScoped(
        kwargs=kwargs,
        readers=actors,
        readers_everywhere=NATIONAL,
        refused=EVERYONE - actors,
        refused_everywhere=NATIONAL_READERS - NATIONAL,
    )


def _creators(creators: frozenset[str]) -> SignedIn:
    return SignedIn(refused=frozenset(SIGNED_IN) - creators)


def _rendition(kwargs: Callable[..., dict[str, object]]) -> Callable[..., dict[str, object]]:
    return lambda world, records: {**kwargs(world, records), "rendition": "thumbnail"}


PATTERNS: dict[str, Access] = {
    # Village profiles
    "registry:village-profile-list": SignedIn(),
    "registry:village-profile-create": _creators(OFFICERS),
    "registry:village-profile-detail": _read(_profile),
    "registry:village-profile-update": _act(_profile, OFFICERS),
    "registry:village-profile-delete": _act(_profile, OFFICERS),
    "registry:village-profile-photo-add": _act(_profile, OFFICERS),
    "registry:village-profile-photo-update": _act(_village_photo, OFFICERS),
    "registry:village-profile-photo-delete": _act(_village_photo, OFFICERS),
    "registry:village-profile-photo": _read(_rendition(_village_photo)),
    # Organisations and memberships
    "registry:organisation-list": SignedIn(),
    "registry:organisation-create": _creators(OFFICERS),
    "registry:organisation-detail": _read(_organisation),
    "registry:organisation-update": _act(_organisation, OFFICERS_AND_MANAGERS),
    "registry:organisation-delete": _act(_organisation, OFFICERS),
    "registry:membership-create": _act(_organisation, OFFICERS_AND_MANAGERS),
    "registry:membership-list": SignedIn(),
    "registry:membership-update": _act(_membership, OFFICERS_AND_MANAGERS),
    "registry:membership-delete": _act(_membership, OFFICERS_AND_MANAGERS),
    # Craft units
    "registry:craft-unit-list": SignedIn(),
    "registry:craft-unit-create": _creators(OFFICERS_AND_MANAGERS),
    "registry:craft-unit-detail": _read(_unit),
    "registry:craft-unit-update": _act(_unit, OFFICERS_AND_MANAGERS),
    "registry:craft-unit-delete": _act(_unit, OFFICERS),
    "registry:craft-unit-photo-add": _act(_unit, OFFICERS_AND_MANAGERS),
    "registry:craft-unit-photo-update": _act(_unit_photo, OFFICERS_AND_MANAGERS),
    "registry:craft-unit-photo-delete": _act(_unit_photo, OFFICERS_AND_MANAGERS),
    "registry:craft-unit-photo": _read(_rendition(_unit_photo)),
}
