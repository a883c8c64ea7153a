"""Deleting from the support pages: an item after confirming (refused while it has
disbursements), a disbursement by its row's button; both audited, the balance recomputed."""

from decimal import Decimal

import pytest

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.support.models import DesignDeliverable, Disbursement, SupportItem
from desadevisa.support.tests.factories import (
    DesignDeliverableFactory,
    DesignItemFactory,
    DisbursementFactory,
    SupportItemFactory,
)

SUPPORT = "/en/support/"


def item_page(item, suffix: str = "") -> str:
    return f"{SUPPORT}items/{item.pk}/{suffix}"


def disbursement_delete_page(disbursement) -> str:
    return item_page(disbursement.item, f"disbursements/{disbursement.pk}/delete/")


def plan_page(item) -> str:
    return f"{SUPPORT}villages/{item.designation.nomination.village_id}/"


@pytest.fixture
def east(two_provinces):
    return DesignItemFactory(designation=two_provinces.jawa_timur.designation)


@pytest.fixture
def central(two_provinces):
    return DesignItemFactory(designation=two_provinces.jawa_tengah.designation)


@pytest.fixture
def financing(two_provinces):
    """A financing item of IDR 500,000,000 with two tranches of 100,000,000 and 50,000,000."""
    item = SupportItemFactory(designation=two_provinces.jawa_timur.designation)
    DisbursementFactory(item=item, amount_idr=Decimal("100000000"))
    DisbursementFactory(item=item, amount_idr=Decimal("50000000"))
    return item


def deleted_events() -> int:
    return AuditEvent.objects.filter(action=AuditAction.DELETED).count()


# The item -------------------------------------------------------------------------------------


def test_the_item_page_links_to_the_deletion_for_those_who_edit(client, east, programme_officer):
    sign_in_verified(client, programme_officer)

    assert item_page(east, "delete/") in client.get(item_page(east)).content.decode()


def test_the_confirmation_names_the_deliverables_deleted_with_the_item(
    client, east, programme_officer
):
    DesignDeliverableFactory(item=east, title="Katalog produk")
    sign_in_verified(client, programme_officer)

    response = client.get(item_page(east, "delete/"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Its deliverable and the file attached are deleted with it:" in body
    assert "Katalog produk" in body
    assert SupportItem.objects.filter(pk=east.pk).exists()


def test_a_programme_officer_deletes_an_item_with_its_deliverables(client, east, programme_officer):
    DesignDeliverableFactory(item=east)
    sign_in_verified(client, programme_officer)

    response = client.post(item_page(east, "delete/"))

    assert response.status_code == 302
    assert response["Location"] == plan_page(east)
    assert not SupportItem.objects.filter(pk=east.pk).exists()
    assert not DesignDeliverable.objects.exists()
    assert deleted_events() == 1


def test_an_item_with_disbursements_is_not_deleted(client, financing, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(item_page(financing, "delete/"))

    assert response.status_code == 409
    assert response.context["error"] == (
        "This item has disbursements: it cannot be deleted. Set its status to “Cancelled” instead."
    )
    assert SupportItem.objects.filter(pk=financing.pk).exists()
    assert Disbursement.objects.count() == 2
    assert deleted_events() == 0


@pytest.mark.parametrize("person", ["provincial_officer", "organisation_manager"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_reader_who_may_not_edit_may_not_delete_an_item(client, request, east, person, method):
    sign_in_verified(client, request.getfixturevalue(person))

    response = getattr(client, method)(item_page(east, "delete/"))

    assert response.status_code == 403
    assert SupportItem.objects.filter(pk=east.pk).exists()


def test_deleting_an_item_of_another_province_answers_404(client, central, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.post(item_page(central, "delete/"))

    assert response.status_code == 404
    assert SupportItem.objects.filter(pk=central.pk).exists()


def test_the_item_deletion_answers_405_to_a_put(client, east, programme_officer):
    sign_in_verified(client, programme_officer)

    assert client.put(item_page(east, "delete/")).status_code == 405


# Disbursements --------------------------------------------------------------------------------


def test_each_tranche_has_a_delete_button_for_those_who_edit(client, financing, programme_officer):
    sign_in_verified(client, programme_officer)

    body = client.get(item_page(financing)).content.decode()

    for disbursement in financing.disbursements.all():
        assert disbursement_delete_page(disbursement) in body


def test_a_provincial_officer_sees_no_delete_button(client, financing, provincial_officer):
    sign_in_verified(client, provincial_officer)

    body = client.get(item_page(financing)).content.decode()

    assert "disbursements/" not in body


def test_deleting_a_tranche_recomputes_the_outstanding_balance(
    client, financing, programme_officer
):
    mistake = financing.disbursements.get(amount_idr=Decimal("50000000"))
    sign_in_verified(client, programme_officer)

    response = client.post(disbursement_delete_page(mistake), follow=True)

    assert response.redirect_chain == [(item_page(financing), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "The disbursement was deleted: IDR 400,000,000 is outstanding."
    ]
    assert "400,000,000.00" in response.content.decode()
    assert not Disbursement.objects.filter(pk=mistake.pk).exists()
    assert SupportItem.objects.get(pk=financing.pk).outstanding_idr == Decimal("400000000")
    assert deleted_events() == 1


@pytest.mark.parametrize("person", ["provincial_officer", "organisation_manager"])
def test_a_reader_who_may_not_edit_may_not_delete_a_tranche(client, request, financing, person):
    disbursement = financing.disbursements.first()
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.post(disbursement_delete_page(disbursement))

    assert response.status_code == 403
    assert Disbursement.objects.count() == 2


def test_deleting_a_tranche_of_another_province_answers_404(
    client, two_provinces, provincial_officer
):
    disbursement = DisbursementFactory(item__designation=two_provinces.jawa_tengah.designation)
    sign_in_verified(client, provincial_officer)

    response = client.post(disbursement_delete_page(disbursement))

    assert response.status_code == 404
    assert Disbursement.objects.filter(pk=disbursement.pk).exists()


def test_a_tranche_under_another_item_answers_404(client, financing, programme_officer):
    other = SupportItemFactory(designation=financing.designation)
    disbursement = financing.disbursements.first()
    sign_in_verified(client, programme_officer)

    response = client.post(item_page(other, f"disbursements/{disbursement.pk}/delete/"))

    assert response.status_code == 404
    assert Disbursement.objects.count() == 2


def test_deleting_a_tranche_answers_405_to_a_get(client, financing, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(disbursement_delete_page(financing.disbursements.first()))

    assert response.status_code == 405
    assert Disbursement.objects.count() == 2
