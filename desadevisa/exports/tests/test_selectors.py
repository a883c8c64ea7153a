"""Which export shipments each person reads."""

import pytest
from django.http import Http404

from desadevisa.accounts.scopes import user_scope
from desadevisa.exports.selectors import export_shipment_get, export_shipment_scope
from desadevisa.exports.tests.factories import ExportShipmentFactory
from desadevisa.registry.tests.scope_cases import both, jawa_timur, person, scope_cases


@pytest.mark.parametrize(
    ("name", "expected"),
    scope_cases(
        national=both("shipment", "neighbour_shipment"),
        verifier=both("shipment", "neighbour_shipment"),
        officer=jawa_timur("shipment", "neighbour_shipment"),
        manager=jawa_timur("shipment"),
    ),
)
def test_export_shipment_scope_returns_exactly_the_shipments_the_person_reads(
    request, two_provinces, name, expected
):
    user = person(request, name)

    assert two_provinces.names(export_shipment_scope(user=user)) == expected


def test_a_manager_reads_the_shipments_of_a_product_their_former_member_makes(two_provinces):
    records = two_provinces.jawa_timur
    shipment = ExportShipmentFactory(product=records.former_product)

    assert export_shipment_get(user=records.manager, pk=shipment.pk) == shipment


@pytest.mark.parametrize("reader", ["officer", "manager"])
def test_export_shipment_get_answers_404_for_a_shipment_of_the_other_province(
    two_provinces, reader
):
    user = getattr(two_provinces.jawa_timur, reader)
    own, other = two_provinces.jawa_timur.shipment, two_provinces.jawa_tengah.shipment

    assert export_shipment_get(user=user, pk=own.pk) == own
    with pytest.raises(Http404):
        export_shipment_get(user=user, pk=other.pk)


def test_export_shipment_get_answers_404_to_a_manager_for_another_organisations_shipment(
    two_provinces,
):
    records = two_provinces.jawa_timur

    with pytest.raises(Http404):
        export_shipment_get(user=records.manager, pk=records.neighbour_shipment.pk)


@pytest.mark.parametrize("name", ["provincial_officer", "organisation_manager", "verifier"])
def test_export_shipment_scope_is_one_query(
    request, two_provinces, django_assert_num_queries, name
):
    user = person(request, name)
    user_scope(user)

    with django_assert_num_queries(1):
        rows = list(export_shipment_scope(user=user))

    assert rows
