"""Who may view, change and delete export shipments (SECURITY §2.1)."""

import pytest

from desadevisa.exports.permissions import export_shipment_can
from desadevisa.exports.tests.factories import ExportShipmentFactory
from desadevisa.registry.tests.scope_cases import (
    jawa_timur,
    permission_cases,
    permitted,
    person,
)

SHIPMENTS = ["35.shipment", "35.neighbour_shipment", "33.shipment"]
CHANGERS = {
    "administrator": set(SHIPMENTS),
    "programme_officer": set(SHIPMENTS),
    "organisation_manager": jawa_timur("shipment"),
}


@pytest.mark.parametrize(
    ("action", "name", "expected"),
    permission_cases(
        {
            "view": {
                "administrator": set(SHIPMENTS),
                "programme_officer": set(SHIPMENTS),
                "verifier": set(SHIPMENTS),
                "provincial_officer": jawa_timur("shipment", "neighbour_shipment"),
                "organisation_manager": jawa_timur("shipment"),
            },
            "change": CHANGERS,
            "delete": CHANGERS,
        },
    ),
)
def test_export_shipment_permissions_follow_the_matrix(
    request, two_provinces, action, name, expected
):
    user = person(request, name)

    allowed = permitted(
        two_provinces, export_shipment_can, "shipment", user=user, action=action, among=SHIPMENTS
    )

    assert allowed == expected


def test_a_manager_reads_but_may_not_change_a_shipment_of_a_former_members_product(
    two_provinces,
):
    records = two_provinces.jawa_timur
    shipment = ExportShipmentFactory(product=records.former_product)

    assert export_shipment_can(user=records.manager, shipment=shipment, action="view")
    assert not export_shipment_can(user=records.manager, shipment=shipment, action="change")
