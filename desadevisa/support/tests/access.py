"""Who may reach the support pages, for the permission matrix.

Support items are read by the national roles, the officers of the village's province and the
managers of organisations in the village; only the national roles change them: the form and
disbursement pages, the deletions and the deliverable form answer 403 to the other readers. The
deliverable's file is for every reader of the item. The matrix's designations have no support
item, so the object pages plan one (financing, or product design with a deliverable) for the
province's designation.
"""

from __future__ import annotations

from desadevisa.core.tests.matrix import NATIONAL_ROLES, Access, ObjectScoped, SignedIn

NATIONAL = frozenset(NATIONAL_ROLES)
READERS = NATIONAL | {"provincial_officer", "organisation_manager"}


def _item(world, records) -> dict[str, object]:
    from desadevisa.support.tests.factories import SupportItemFactory

    return {"pk": SupportItemFactory(designation=records.designation).pk}


def _disbursement(world, records) -> dict[str, object]:
    from desadevisa.support.tests.factories import DisbursementFactory

    row = DisbursementFactory(item__designation=records.designation)
    return {"pk": row.item_id, "disbursement_pk": row.pk}


def _design_item(world, records) -> dict[str, object]:
    from desadevisa.support.tests.factories import DesignItemFactory

    return {"pk": DesignItemFactory(designation=records.designation).pk}


def _deliverable(world, records) -> dict[str, object]:
    from django.core.files.base import ContentFile

    from desadevisa.support.tests.factories import DesignDeliverableFactory

    row = DesignDeliverableFactory(item__designation=records.designation)
    row.file.save("deliverable.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return {"pk": row.item_id, "deliverable_pk": row.pk}


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
    "support:item-delete": _changed_by_national_roles(_item),
    "support:disbursement-add": _changed_by_national_roles(_item, method="post", status=400),
    "support:disbursement-delete": _changed_by_national_roles(
        _disbursement, method="post", status=302
    ),
    "support:deliverable-add": _changed_by_national_roles(_design_item, method="post", status=400),
    "support:deliverable-file": ObjectScoped(
        kwargs=_deliverable, readers=READERS, readers_everywhere=NATIONAL
    ),
    "support:deliverable-delete": _changed_by_national_roles(
        _deliverable, method="post", status=302
    ),
}
