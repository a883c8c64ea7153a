"""The History on every object page shows the object's events from the audit trail, to
everyone who reads the object, whatever province or organisation the events name."""

import pytest
from django.urls import reverse
from django.utils import translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_changes, audit_record, audit_snapshot
from desadevisa.catalog.tests.access import PATTERNS as CATALOG
from desadevisa.exports.tests.access import PATTERNS as EXPORTS
from desadevisa.registry.tests.access import PATTERNS as REGISTRY

# Each object page with a History, and the object it is about among a province's records.
PAGES = {
    "registry:village-profile-detail": (REGISTRY, lambda records: records.profile),
    "registry:organisation-detail": (REGISTRY, lambda records: records.organisation),
    "registry:craft-unit-detail": (REGISTRY, lambda records: records.member_unit),
    "catalog:product-detail": (CATALOG, lambda records: records.product),
    "exports:shipment-detail": (EXPORTS, lambda records: records.shipment),
}
NOTHING_RECORDED = "Nothing has been recorded for this yet."


def cases() -> list:
    return [
        pytest.param(name, person, id=f"{name}-{person}")
        for name, (patterns, _obj) in PAGES.items()
        for person in sorted(patterns[name].readers)
    ]


@pytest.mark.parametrize(("name", "person"), cases())
def test_every_reader_of_an_object_sees_its_creation_in_its_history(
    client, request, two_provinces, name, person
):
    patterns, obj_of = PAGES[name]
    records = two_provinces.jawa_timur
    obj = obj_of(records)
    # Recorded as the create services record it: the scope derived from the object.
    created = audit_record(
        actor=records.officer,
        action=AuditAction.CREATED,
        obj=obj,
        changes=audit_changes({}, audit_snapshot(obj)),
    )
    sign_in_verified(client, request.getfixturevalue(person))
    with translation.override("en"):
        path = reverse(name, kwargs=patterns[name].kwargs(two_provinces, records))

    response = client.get(path)

    assert response.status_code == 200
    assert list(response.context["events"]) == [created]
    assert NOTHING_RECORDED not in response.text
    assert f"{records.officer.username})" in response.text
