"""Who may reach the support pages, for the permission matrix.

Support items are read by the national roles, the officers of the village's province and the
managers of organisations in the village; only the national roles change them: the form and
disbursement pages answer 403 to the other readers. The matrix's designations have no support
item, so the object pages plan a financing item for the province's designation.
"""

from __future__ import annotations

from desadevisa.core.tests.matrix import NATIONAL_ROLES, Access, ObjectScoped, SignedIn

NATIONAL = frozenset(NATIONAL_ROLES)
READERS = NATIONAL | {"provincial_officer", "organisation_manager"}


def _item(world, records) -> dict[str, object]:
    from desadevisa.support.tests.factories import SupportItemFactory

    return {"pk": SupportItemFactory(designation=records.designation).pk}


def _designation(world, records) -> dict[str, object]:
    return {"pk": records.designation.pk}


def _village(world, records) -> dict[str, object]:
    return {"code": records.designation.nomination.village_id}


def _changed_by_national_roles(kwargs, method: str = "get", status: int = 200) -> ObjectScoped:
    return ObjectScoped(
        kwargs=kwargs,
        readers=READERS,
        readers_everywhere=NATIONAL,
        refused=READERS - NATIONAL,
        method=method,
        status=status,
    )


PATTERNS: dict[str, Access] = {
    "support:item-list": SignedIn(),
    "support:item-detail": ObjectScoped(kwargs=_item, readers=READERS, readers_everywhere=NATIONAL),
    "support:village-plan": ObjectScoped(
        kwargs=_village, readers=READERS, readers_everywhere=NATIONAL
    ),
    "support:item-create": _changed_by_national_roles(_designation),
    "support:item-update": _changed_by_national_roles(_item),
    "support:disbursement-add": _changed_by_national_roles(_item, method="post", status=400),
}
