"""The staff's pipeline: who sees which inquiry, personal data only where it belongs, and the
moves along the pipeline."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from desadevisa.accounts.models import Role
from desadevisa.accounts.services import role_assignment_create
from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.exports.tests.factories import ExportShipmentFactory
from desadevisa.inquiries.models import Inquiry, InquiryEvent, InquiryStatus
from desadevisa.inquiries.tests.conftest import row_counts
from desadevisa.inquiries.tests.factories import InquiryFactory

S = InquiryStatus
XSS = "<img src=x onerror=alert(1)>"
CANARY = "canary-33-buyer@example.net"


def list_url(**query) -> str:
    return reverse("inquiries:list")


def detail_url(inquiry) -> str:
    return reverse("inquiries:detail", kwargs={"pk": inquiry.pk})


def move_url(inquiry) -> str:
    return reverse("inquiries:move", kwargs={"pk": inquiry.pk})


@pytest.fixture
def east(two_provinces):
    """An inquiry about Jawa Timur's member product (the manager's organisation makes it)."""
    return InquiryFactory(product=two_provinces.jawa_timur.product, name="Anneke de Vries")


@pytest.fixture
def central(two_provinces):
    """An inquiry about Jawa Tengah's member product, its buyer's address a canary."""
    return InquiryFactory(product=two_provinces.jawa_tengah.product, email=CANARY)


# The list ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("programme_officer", {"east", "central"}),
        ("administrator", {"east", "central"}),
        ("provincial_officer", {"east"}),
        ("organisation_manager", {"east"}),
        ("verifier", set()),
        ("nobody", set()),
    ],
)
def test_the_list_shows_the_inquiries_of_the_persons_scope(
    client, request, east, central, person, expected
):
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.get(list_url())

    assert response.status_code == 200
    names = {"east": east.pk, "central": central.pk}
    shown = {row.pk for row in response.context["listing"].page}
    assert shown == {names[name] for name in expected}


def test_the_list_shows_no_personal_data_and_is_never_stored(client, programme_officer, east):
    sign_in_verified(client, programme_officer)

    response = client.get(list_url())

    assert "Anneke" not in response.text
    assert east.email not in response.text
    assert "no-store" in response["Cache-Control"]


def test_a_manager_does_not_see_inquiries_about_a_neighbour_organisations_product(
    client, two_provinces, organisation_manager
):
    neighbour = InquiryFactory(product=two_provinces.jawa_timur.neighbour_product)
    sign_in_verified(client, organisation_manager)

    assert client.get(detail_url(neighbour)).status_code == 404
    assert neighbour.pk not in {row.pk for row in client.get(list_url()).context["listing"].page}


def test_the_list_shows_the_exhibition_that_brought_the_inquiry(
    client, two_provinces, programme_officer
):
    InquiryFactory(product=two_provinces.jawa_timur.product, exhibition=two_provinces.exhibition)
    sign_in_verified(client, programme_officer)

    response = client.get(list_url())

    assert "G20 2022" in response.text


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("status", "contacted", {"contacted"}),
        ("province", "33", {"central"}),
        ("exhibition", "g20-2022", {"fair"}),
    ],
)
def test_the_list_filters_by_status_province_and_exhibition(
    client, two_provinces, programme_officer, central, field, value, expected
):
    contacted = InquiryFactory(product=two_provinces.jawa_timur.product, status=S.CONTACTED)
    fair = InquiryFactory(
        product=two_provinces.jawa_timur.neighbour_product, exhibition=two_provinces.exhibition
    )
    rows = {"contacted": contacted.pk, "central": central.pk, "fair": fair.pk}
    sign_in_verified(client, programme_officer)

    response = client.get(list_url(), {field: value})

    assert {row.pk for row in response.context["listing"].page} == {rows[name] for name in expected}


def test_the_list_filters_by_product(client, two_provinces, programme_officer, east, central):
    sign_in_verified(client, programme_officer)

    response = client.get(list_url(), {"product": str(central.product_id)})

    assert [row.pk for row in response.context["listing"].page] == [central.pk]


def test_the_list_costs_the_same_queries_for_one_row_and_for_many(
    client, two_provinces, programme_officer, django_assert_num_queries
):
    sign_in_verified(client, programme_officer)
    InquiryFactory(product=two_provinces.jawa_timur.product)
    client.get(list_url())
    with CaptureQueriesContext(connection) as one:
        client.get(list_url())
    for records in (two_provinces.jawa_timur, two_provinces.jawa_tengah):
        InquiryFactory.create_batch(
            6, product=records.neighbour_product, exhibition=two_provinces.exhibition
        )

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(list_url())

    assert response.context["listing"].page.paginator.count == 13


def test_the_export_holds_the_buyers_details_and_is_recorded(client, programme_officer, east):
    sign_in_verified(client, programme_officer)

    response = client.get(list_url(), {"export": "csv"})

    body = b"".join(response.streaming_content).decode()
    assert east.email in body
    assert "Anneke de Vries" in body
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 1


@pytest.mark.parametrize("person", ["provincial_officer", "organisation_manager"])
@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_another_provinces_buyer_address_never_reaches_a_jawa_timur_person(
    client, request, east, central, person, export
):
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.get(list_url(), {"export": export} if export else {})

    if export == "csv":
        body = b"".join(response.streaming_content)
    elif export == "xlsx":
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        body = repr(list(sheet.values)).encode()
    else:
        body = response.content
    assert CANARY.encode() not in body
    assert b"canary-33" not in body


def test_a_formula_in_a_buyers_name_is_exported_as_text(client, programme_officer, two_provinces):
    InquiryFactory(product=two_provinces.jawa_timur.product, name='=HYPERLINK("http://x")')
    sign_in_verified(client, programme_officer)

    response = client.get(list_url(), {"export": "csv"})

    assert "'=HYPERLINK" in b"".join(response.streaming_content).decode()


# The detail page -----------------------------------------------------------------------------


def test_the_detail_shows_the_buyer_escaped_and_records_the_view(
    client, two_provinces, organisation_manager
):
    inquiry = InquiryFactory(
        product=two_provinces.jawa_timur.product, name=XSS, company=XSS, message=XSS
    )
    sign_in_verified(client, organisation_manager)

    response = client.get(detail_url(inquiry))

    assert response.status_code == 200
    assert XSS not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.filter(action=AuditAction.VIEWED).get()
    assert (event.actor, event.object_id) == (organisation_manager, str(inquiry.pk))
    assert "img" not in f"{event.object_repr} {event.summary} {event.changes}"


def test_the_detail_shows_the_consent_and_the_exhibition(client, two_provinces, programme_officer):
    inquiry = InquiryFactory(
        product=two_provinces.jawa_timur.product, exhibition=two_provinces.exhibition
    )
    sign_in_verified(client, programme_officer)

    response = client.get(detail_url(inquiry))

    assert "privacy notice version 1" in response.text
    assert "G20 2022" in response.text


@pytest.mark.parametrize("person", ["provincial_officer", "organisation_manager", "verifier"])
def test_another_provinces_inquiry_answers_404_and_is_not_recorded_as_viewed(
    client, request, central, person
):
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.get(detail_url(central))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEWED).exists()


def test_a_verifier_reads_no_inquiry_even_in_jawa_timur(client, verifier, east):
    sign_in_verified(client, verifier)

    assert client.get(detail_url(east)).status_code == 404


def test_the_provincial_officer_does_not_open_the_buyers_details(client, provincial_officer, east):
    sign_in_verified(client, provincial_officer)

    response = client.get(detail_url(east))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEWED).exists()


# The province's view -------------------------------------------------------------------------

CONTACT_HEADERS = {"Name", "Company", "E-mail address", "Phone number", "Message"}


def test_the_provincial_officer_follows_the_inquiries_without_their_buyers(
    client, provincial_officer, east
):
    sign_in_verified(client, provincial_officer)

    response = client.get(list_url())

    assert response.context["listing"].page.paginator.count == 1
    assert east.product.name_id in response.text
    assert detail_url(east) not in response.text
    assert "Anneke de Vries" not in response.text
    assert (
        "The buyers' names and contact details are read only by the organisations that make "
        "the products and the programme officers; here you follow how many inquiries arrive "
        "and about which products."
    ) in response.text.replace("&#x27;", "'")


def test_the_provincial_officers_export_has_no_contact_columns(client, provincial_officer, east):
    sign_in_verified(client, provincial_officer)

    response = client.get(list_url(), {"export": "csv"})

    header, row = b"".join(response.streaming_content).decode().splitlines()
    assert not CONTACT_HEADERS & set(header.split(","))
    assert east.product.name_id in row
    assert east.email not in row


def test_a_handler_sees_the_link_to_the_buyers_details(client, organisation_manager, east):
    sign_in_verified(client, organisation_manager)

    response = client.get(list_url())

    assert detail_url(east) in response.text
    assert "opening them is recorded" in response.text


def test_a_manager_who_is_also_an_officer_reads_only_the_buyers_they_handle(
    client, two_provinces, organisation_manager
):
    role_assignment_create(
        actor=None,
        user=organisation_manager,
        role=Role.PROVINCIAL_OFFICER,
        province=two_provinces.jawa_timur.province,
        organisation=None,
    )
    handled = InquiryFactory(product=two_provinces.jawa_timur.product, name="Anneke de Vries")
    followed = InquiryFactory(product=two_provinces.jawa_timur.neighbour_product, name="Jan Bakker")
    sign_in_verified(client, organisation_manager)

    response = client.get(list_url(), {"export": "csv"})

    body = b"".join(response.streaming_content).decode()
    assert "Anneke de Vries" in body
    assert "Jan Bakker" not in body
    assert str(followed.pk) in body
    assert client.get(detail_url(handled)).status_code == 200
    assert client.get(detail_url(followed)).status_code == 404


# Moves ---------------------------------------------------------------------------------------


def move(client, inquiry, **data):
    return client.post(move_url(inquiry), {"from_status": inquiry.status, **data})


def test_a_manager_moves_an_inquiry_to_samples_sent(client, organisation_manager, east):
    sign_in_verified(client, organisation_manager)

    response = move(client, east, to_status="samples_sent", comment="Two drums sent by air.")

    assert response.status_code == 302
    east.refresh_from_db()
    assert east.status == S.SAMPLES_SENT
    event = east.events.last()
    assert (event.from_status, event.to_status, event.actor, event.comment) == (
        "new",
        "samples_sent",
        organisation_manager,
        "Two drums sent by air.",
    )
    audit = AuditEvent.objects.get(action=AuditAction.TRANSITIONED)
    assert audit.changes == {"status": ["new", "samples_sent"]}


def test_a_provincial_officer_may_not_move_an_inquiry(client, provincial_officer, east):
    sign_in_verified(client, provincial_officer)
    before = row_counts()

    response = move(client, east, to_status="contacted")

    assert response.status_code == 403
    east.refresh_from_db()
    assert east.status == S.NEW
    assert row_counts()["inquiries.InquiryEvent"] == before["inquiries.InquiryEvent"]


def test_a_move_backwards_answers_409_and_changes_nothing(client, programme_officer, two_provinces):
    inquiry = InquiryFactory(product=two_provinces.jawa_timur.product, status=S.ORDER)
    sign_in_verified(client, programme_officer)

    response = move(client, inquiry, to_status="contacted")

    assert response.status_code == 409
    assert "An inquiry cannot move from “Order” to “Contacted”." in response.text
    inquiry.refresh_from_db()
    assert inquiry.status == S.ORDER
    assert inquiry.events.count() == 1


def test_a_lost_inquiry_moves_no_more(client, programme_officer, two_provinces):
    inquiry = InquiryFactory(
        product=two_provinces.jawa_timur.product, status=S.LOST, lost_reason="Price"
    )
    sign_in_verified(client, programme_officer)

    response = move(client, inquiry, to_status="order")

    assert response.status_code == 409
    assert "An inquiry cannot move from “Lost” to “Order”." in response.text


def test_a_double_submitted_move_is_made_once(client, organisation_manager, east):
    sign_in_verified(client, organisation_manager)

    first = move(client, east, to_status="contacted")
    second = client.post(move_url(east), {"from_status": "new", "to_status": "contacted"})

    assert first.status_code == 302
    assert second.status_code == 409
    assert "This inquiry was moved in the meantime: it is now “Contacted”." in second.text
    assert list(east.events.values_list("to_status", flat=True)) == ["new", "contacted"]


def test_lost_needs_a_reason(client, organisation_manager, east):
    sign_in_verified(client, organisation_manager)

    response = move(client, east, to_status="lost", lost_reason="  ")

    assert response.status_code == 400
    assert response.context["form"].errors["lost_reason"] == ["Say why the inquiry was lost."]
    east.refresh_from_db()
    assert east.status == S.NEW


def test_lost_records_the_reason(client, organisation_manager, east):
    sign_in_verified(client, organisation_manager)

    move(client, east, to_status="lost", lost_reason="Chose a supplier in Viet Nam.")

    east.refresh_from_db()
    assert (east.status, east.lost_reason) == (S.LOST, "Chose a supplier in Viet Nam.")


def test_shipped_needs_a_shipment(client, organisation_manager, two_provinces):
    inquiry = InquiryFactory(product=two_provinces.jawa_timur.product, status=S.ORDER)
    sign_in_verified(client, organisation_manager)

    response = move(client, inquiry, to_status="shipped")

    assert response.status_code == 400
    assert response.context["form"].errors["shipment"] == [
        "Choose the export shipment this inquiry became."
    ]
    inquiry.refresh_from_db()
    assert inquiry.status == S.ORDER


def test_shipped_links_the_shipment_it_became(client, organisation_manager, two_provinces):
    records = two_provinces.jawa_timur
    inquiry = InquiryFactory(
        product=records.product,
        status=S.ORDER,
        created_at=datetime.datetime(2022, 3, 1, tzinfo=datetime.UTC),
    )
    sign_in_verified(client, organisation_manager)

    response = move(client, inquiry, to_status="shipped", shipment=str(records.shipment.pk))

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.shipment) == (S.SHIPPED, records.shipment)
    page = client.get(detail_url(inquiry))
    assert reverse("exports:shipment-detail", kwargs={"pk": records.shipment.pk}) in page.text


def test_shipped_refuses_another_provinces_shipment(client, programme_officer, two_provinces):
    inquiry = InquiryFactory(
        product=two_provinces.jawa_timur.product,
        status=S.ORDER,
        created_at=datetime.datetime(2022, 3, 1, tzinfo=datetime.UTC),
    )
    sign_in_verified(client, programme_officer)

    response = move(
        client, inquiry, to_status="shipped", shipment=str(two_provinces.jawa_tengah.shipment.pk)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["shipment"] == ["Choose one of the shipments listed."]
    inquiry.refresh_from_db()
    assert inquiry.shipment is None


def test_shipped_refuses_a_shipment_made_before_the_inquiry(
    client, organisation_manager, two_provinces
):
    records = two_provinces.jawa_timur
    inquiry = InquiryFactory(product=records.product, status=S.ORDER)
    old = ExportShipmentFactory(product=records.product, shipped_on=datetime.date(2020, 1, 2))
    sign_in_verified(client, organisation_manager)

    response = move(client, inquiry, to_status="shipped", shipment=str(old.pk))

    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert inquiry.status == S.ORDER


def test_an_unknown_status_is_refused_without_an_error_page(client, organisation_manager, east):
    sign_in_verified(client, organisation_manager)

    response = move(client, east, to_status="delivered")

    assert response.status_code == 400
    assert InquiryEvent.objects.filter(inquiry=east).count() == 1


def test_a_move_by_get_is_not_allowed(client, organisation_manager, east):
    sign_in_verified(client, organisation_manager)

    assert client.get(move_url(east)).status_code == 405


def test_an_anonymised_inquiry_shows_no_buyer(client, programme_officer, two_provinces):
    from django.utils import timezone

    inquiry = InquiryFactory(product=two_provinces.jawa_timur.product)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        name="—", email="", phone="", company="", message="", anonymised_at=timezone.now()
    )
    sign_in_verified(client, programme_officer)

    response = client.get(detail_url(inquiry))

    assert "personal data was removed" in response.text
