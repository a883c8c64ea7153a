"""Who may reach the verification pages, for the permission matrix.

A visit is read by the national roles, its verifiers and the officers of its province. Only
its verifiers fill it in: the form, submission and photo pages answer 403 to its other readers.
The matrix's visits are submitted and assigned to verifiers of their own (the ``verifier``
fixture reaches none of them). Scheduling is offered on the nomination to the national roles;
the matrix's nominations are designated, so they meet the workflow's 409.
"""

from __future__ import annotations

from desadevisa.core.tests.matrix import NATIONAL_ROLES, Access, ObjectScoped, SignedIn

NATIONAL = frozenset(NATIONAL_ROLES)
VISIT_READERS = NATIONAL | {"provincial_officer"}
NOMINATION_READERS = NATIONAL | {"provincial_officer", "organisation_manager"}


def _visit(world, records) -> dict[str, object]:
    return {"pk": records.visit.pk}


def _nomination(world, records) -> dict[str, object]:
    return {"pk": records.nomination.pk}


def _photo(world, records) -> dict[str, object]:
    from desadevisa.verification.tests.factories import VisitPhotoFactory

    return {"pk": records.visit.pk, "photo_pk": VisitPhotoFactory(visit=records.visit).pk}


def _rendition(world, records) -> dict[str, object]:
    return {**_photo(world, records), "rendition": "thumbnail"}


def _filled_by_verifiers(kwargs, method: str = "get") -> ObjectScoped:
    return ObjectScoped(
        kwargs=kwargs,
        readers=VISIT_READERS,
        readers_everywhere=NATIONAL,
        refused=VISIT_READERS,
        refused_everywhere=NATIONAL,
        method=method,
        status=409,
    )


PATTERNS: dict[str, Access] = {
    "verification:visit-list": SignedIn(),
    "verification:visit-schedule": ObjectScoped(
        kwargs=_nomination,
        readers=NOMINATION_READERS,
        readers_everywhere=NATIONAL,
        refused=NOMINATION_READERS - NATIONAL,
        status=409,
    ),
    "verification:visit-detail": ObjectScoped(
        kwargs=_visit, readers=VISIT_READERS, readers_everywhere=NATIONAL
    ),
    "verification:visit-report": ObjectScoped(
        kwargs=_visit, readers=VISIT_READERS, readers_everywhere=NATIONAL
    ),
    "verification:visit-photo": ObjectScoped(
        kwargs=_rendition, readers=VISIT_READERS, readers_everywhere=NATIONAL
    ),
    "verification:visit-update": _filled_by_verifiers(_visit),
    "verification:visit-submit": _filled_by_verifiers(_visit, method="post"),
    "verification:visit-photo-add": _filled_by_verifiers(_visit, method="post"),
    "verification:visit-photo-delete": _filled_by_verifiers(_photo, method="post"),
}
