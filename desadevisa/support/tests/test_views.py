"""The support pages: the list across villages, an item, the item form and disbursements."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.editing import record_version
from desadevisa.exports.tests.factories import ExportShipmentFactory
from desadevisa.inquiries.models import InquiryStatus
from desadevisa.inquiries.tests.factories import InquiryFactory
from desadevisa.nominations.models import DesignationStatus
from desadevisa.support.models import Disbursement, SupportItem, SupportKind
from desadevisa.support.outcomes import BuyerFigures
from desadevisa.support.tests.factories import (
    DesignItemFactory,
    DisbursementFactory,
    SupportItemFactory,
    TrainingItemFactory,
)

SUPPORT = "/en/support/"


def item_page(item, suffix: str = "") -> str:
    return f"{SUPPORT}items/{item.pk}/{suffix}"


def plan_page(designation) -> str:
    return f"{SUPPORT}designations/{designation.pk}/plan/"


@pytest.fixture
def plans(two_provinces):
    """A financing item with one disbursement in each province's designated village."""
    east = SupportItemFactory(designation=two_provinces.jawa_timur.designation)
    central = SupportItemFactory(designation=two_provinces.jawa_tengah.designation)
    DisbursementFactory(item=east, amount_idr=Decimal("150000000"))
    return {"35": east, "33": central}


def financing_values(**changes) -> dict[str, str]:
    return {
        "kind": SupportKind.FINANCING,
        "title": "Kredit modal kerja",
        "partner": "LPEI",
        "status": "planned",
        "starts_on": "2022-03-01",
        "scheme": "Kredit Usaha Desa Devisa",
        "approved_amount_idr": "200000000",
        "approved_on": "2022-01-10",
        **changes,
    }


# The list -------------------------------------------------------------------------------------


def test_the_list_shows_every_item_to_a_programme_officer(client, plans, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(SUPPORT)

    assert response.status_code == 200
    assert set(response.context["page"]) == {plans["35"], plans["33"]}


def test_a_provincial_officer_sees_only_the_items_of_their_province(
    client, plans, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    response = client.get(SUPPORT)

    assert list(response.context["page"]) == [plans["35"]]


def test_a_verifier_sees_no_support_item(client, plans, verifier):
    sign_in_verified(client, verifier)

    response = client.get(SUPPORT)

    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "There is no support planned in your area of work." in response.content.decode()


def test_the_list_shows_the_outstanding_balance(client, plans, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(SUPPORT, {"province": "35"})

    body = response.content.decode()
    assert "150,000,000.00" in body
    assert "350,000,000.00" in body


def test_the_list_filters_by_kind(client, plans, two_provinces, programme_officer):
    training = TrainingItemFactory(designation=two_provinces.jawa_timur.designation)
    sign_in_verified(client, programme_officer)

    response = client.get(SUPPORT, {"kind": SupportKind.TRAINING})

    assert list(response.context["page"]) == [training]


def test_the_list_filters_by_province_and_cycle(client, plans, two_provinces, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(SUPPORT, {"province": "33", "cycle": str(two_provinces.cycle.pk)})

    assert list(response.context["page"]) == [plans["33"]]


def test_the_list_searches_titles_and_partners(client, plans, two_provinces, programme_officer):
    design = DesignItemFactory(
        designation=two_provinces.jawa_timur.designation, partner="Dekranasda Jatim"
    )
    sign_in_verified(client, programme_officer)

    response = client.get(SUPPORT, {"q": "dekranasda"})

    assert list(response.context["page"]) == [design]


def test_an_unknown_filter_value_is_ignored_without_error(client, plans, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(SUPPORT, {"kind": "loans", "status": "<b>", "cycle": "x"})

    assert response.status_code == 200


def test_the_list_exports_csv_with_the_outstanding_balance(client, plans, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(SUPPORT, {"export": "csv", "province": "35"})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200
    assert "Outstanding (IDR)" in body
    assert "350000000" in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 1


def test_the_list_exports_xlsx(client, plans, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(SUPPORT, {"export": "xlsx"})

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 1


def test_the_list_issues_as_many_queries_for_one_row_as_for_many(
    client, two_provinces, programme_officer, django_assert_num_queries
):
    designation = two_provinces.jawa_timur.designation
    DisbursementFactory(item=SupportItemFactory(designation=designation))
    sign_in_verified(client, programme_officer)
    with CaptureQueriesContext(connection) as one_row:
        client.get(SUPPORT)
    for _number in range(3):
        DisbursementFactory(item=SupportItemFactory(designation=designation))
        TrainingItemFactory(designation=two_provinces.jawa_tengah.designation)

    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(SUPPORT)

    assert len(response.context["page"]) == 7


# The item page --------------------------------------------------------------------------------


def test_the_item_page_shows_the_disbursements_and_the_outstanding_balance(
    client, plans, programme_officer
):
    sign_in_verified(client, programme_officer)

    response = client.get(item_page(plans["35"]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Kredit Usaha Desa Devisa" in body
    assert "150,000,000.00" in body
    assert "350,000,000.00" in body
    assert "Record the disbursement" in body


def test_a_provincial_officer_reads_the_item_without_changing_it(client, plans, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.get(item_page(plans["35"]))

    assert response.status_code == 200
    assert "Record the disbursement" not in response.content.decode()
    assert not response.context["may_change"]


def test_an_item_of_another_province_answers_404(client, plans, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.get(item_page(plans["33"]))

    assert response.status_code == 404


def test_a_design_item_shows_its_deliverables(client, two_provinces, programme_officer):
    item = DesignItemFactory(designation=two_provinces.jawa_timur.designation)
    item.deliverables.create(title="Katalog produk", delivered_on=datetime.date(2022, 5, 1))
    sign_in_verified(client, programme_officer)

    response = client.get(item_page(item))

    body = response.content.decode()
    assert "Institut Seni Indonesia Surakarta" in body
    assert "Katalog produk" in body


# The item form --------------------------------------------------------------------------------


def test_a_programme_officer_plans_a_financing_item(client, two_provinces, programme_officer):
    designation = two_provinces.jawa_timur.designation
    sign_in_verified(client, programme_officer)

    response = client.post(
        plan_page(designation), financing_values(designer="ignored", topic="ignored")
    )

    item = SupportItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == item_page(item)
    assert item.designation == designation
    assert item.approved_amount_idr == Decimal("200000000")
    assert item.designer == ""
    assert item.topic == ""
    assert AuditEvent.objects.filter(action=AuditAction.CREATED).count() == 1


def test_the_plan_form_shows_the_fields_of_every_kind(client, two_provinces, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(plan_page(two_provinces.jawa_timur.designation))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="kind"' in body
    assert 'name="scheme"' in body
    assert 'name="participants_women"' in body


def test_a_financing_item_without_an_amount_is_refused(client, two_provinces, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(
        plan_page(two_provinces.jawa_timur.designation), financing_values(approved_amount_idr="")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["approved_amount_idr"] == [
        "Enter the approved amount in IDR."
    ]
    assert not SupportItem.objects.exists()


def test_a_negative_approved_amount_is_refused(client, two_provinces, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(
        plan_page(two_provinces.jawa_timur.designation),
        financing_values(approved_amount_idr="-5"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["approved_amount_idr"] == [
        "The approved amount must be more than zero."
    ]
    assert not SupportItem.objects.exists()


def test_support_for_a_village_no_longer_designated_is_refused(
    client, two_provinces, programme_officer
):
    designation = two_provinces.jawa_timur.designation
    designation.status = DesignationStatus.REVOKED
    designation.save(update_fields=["status"])
    sign_in_verified(client, programme_officer)

    response = client.post(plan_page(designation), financing_values())

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Support is given only to a designated village: this village's designation is “Revoked”."
    ]
    assert not SupportItem.objects.exists()


def test_a_provincial_officer_may_not_plan_support(client, two_provinces, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.post(plan_page(two_provinces.jawa_timur.designation), financing_values())

    assert response.status_code == 403
    assert not SupportItem.objects.exists()


def test_planning_for_a_designation_outside_the_scope_answers_404(
    client, two_provinces, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    response = client.get(plan_page(two_provinces.jawa_tengah.designation))

    assert response.status_code == 404


def test_a_programme_officer_edits_an_item(client, plans, programme_officer):
    item = plans["35"]
    sign_in_verified(client, programme_officer)
    values = financing_values(status="in_progress", seen_version=record_version(item))
    del values["kind"]

    response = client.post(item_page(item, "edit/"), values)

    item.refresh_from_db()
    assert response.status_code == 302
    assert item.status == "in_progress"
    assert item.title == "Kredit modal kerja"


def test_the_edit_form_starts_from_the_item(client, plans, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(item_page(plans["35"], "edit/"))

    form = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kredit Usaha Desa Devisa"' in form
    assert 'name="kind"' not in form


def test_an_edit_after_someone_elses_answers_409(client, plans, programme_officer):
    item = plans["35"]
    seen = record_version(item)
    item.title = "Changed meanwhile"
    item.save()
    sign_in_verified(client, programme_officer)
    values = financing_values(seen_version=seen)
    del values["kind"]

    response = client.post(item_page(item, "edit/"), values)

    item.refresh_from_db()
    assert response.status_code == 409
    assert item.title == "Changed meanwhile"


def test_lowering_the_approved_amount_below_the_disbursed_is_refused(
    client, plans, programme_officer
):
    item = plans["35"]
    sign_in_verified(client, programme_officer)
    values = financing_values(approved_amount_idr="100000000", seen_version=record_version(item))
    del values["kind"]

    response = client.post(item_page(item, "edit/"), values)

    item.refresh_from_db()
    assert response.status_code == 400
    assert "already disbursed" in response.context["form"].errors["approved_amount_idr"][0]
    assert item.approved_amount_idr == Decimal("500000000")


def test_a_provincial_officer_may_not_edit_an_item(client, plans, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.get(item_page(plans["35"], "edit/"))

    assert response.status_code == 403


# Disbursements --------------------------------------------------------------------------------


def test_a_disbursement_is_recorded_from_the_item_page(client, plans, programme_officer):
    item = plans["35"]
    sign_in_verified(client, programme_officer)

    response = client.post(
        item_page(item, "disbursements/add/"),
        {"disbursed_on": "2022-06-01", "amount_idr": "100000000", "note": "Tahap 2"},
    )

    assert response.status_code == 302
    assert response["Location"] == item_page(item)
    assert item.disbursements.count() == 2
    assert item.outstanding_idr == Decimal("250000000")


def test_a_disbursement_above_the_outstanding_balance_is_refused(client, plans, programme_officer):
    item = plans["35"]
    sign_in_verified(client, programme_officer)

    response = client.post(
        item_page(item, "disbursements/add/"),
        {"disbursed_on": "2022-06-01", "amount_idr": "400000000"},
    )

    [message] = response.context["disbursement_form"].errors["amount_idr"]
    assert response.status_code == 400
    assert "more than the approved IDR" in message
    assert Disbursement.objects.count() == 1


def test_a_negative_disbursement_is_refused(client, plans, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(
        item_page(plans["35"], "disbursements/add/"),
        {"disbursed_on": "2022-06-01", "amount_idr": "-1"},
    )

    assert response.status_code == 400
    assert response.context["disbursement_form"].errors["amount_idr"] == [
        "The amount must be more than zero."
    ]
    assert Disbursement.objects.count() == 1


def test_a_disbursement_dated_before_the_approval_is_refused(client, plans, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(
        item_page(plans["35"], "disbursements/add/"),
        {"disbursed_on": "2021-12-31", "amount_idr": "1000"},
    )

    assert response.status_code == 400
    assert (
        "before the financing was approved"
        in (response.context["disbursement_form"].errors["disbursed_on"][0])
    )
    assert Disbursement.objects.count() == 1


def test_a_disbursement_with_a_malformed_amount_is_refused(client, plans, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(
        item_page(plans["35"], "disbursements/add/"),
        {"disbursed_on": "not a date", "amount_idr": "lots"},
    )

    assert response.status_code == 400
    assert Disbursement.objects.count() == 1


def test_a_disbursement_page_answers_405_to_a_get(client, plans, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(item_page(plans["35"], "disbursements/add/"))

    assert response.status_code == 405


# The village's plan ---------------------------------------------------------------------------


def village_page(records) -> str:
    return f"{SUPPORT}villages/{records.designation.nomination.village_id}/"


def test_the_village_plan_shows_exports_before_and_after_support(
    client, plans, two_provinces, programme_officer
):
    east = two_provinces.jawa_timur
    ExportShipmentFactory(
        product=east.product, shipped_on=datetime.date(2021, 6, 1), value_usd=Decimal("1000")
    )
    sign_in_verified(client, programme_officer)

    response = client.get(village_page(east))

    outcome = response.context["outcome"]
    body = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["items"]) == [plans["35"]]
    assert outcome.exports.started_on == datetime.date(2022, 1, 10)
    assert outcome.exports.before_12_months.value_usd == Decimal("1000")
    # The province's two shipments of March 2022 (the product's and the neighbour's).
    assert outcome.exports.after_12_months.value_usd == Decimal("12000")
    assert outcome.exports.after_12_months.shipments == 2
    assert "1,000.00" in body
    assert "12,000.00" in body
    assert plan_page(east.designation) in body


def test_the_village_plan_shows_the_new_buyers_from_inquiries(
    client, plans, two_provinces, programme_officer
):
    east = two_provinces.jawa_timur
    InquiryFactory(product=east.product, status=InquiryStatus.ORDER)
    InquiryFactory(product=east.product, status=InquiryStatus.CONTACTED)
    sign_in_verified(client, programme_officer)

    response = client.get(village_page(east))

    assert response.context["outcome"].buyers == BuyerFigures(inquiries_after=2, new_buyers=1)
    assert "New buyers who ordered" in response.content.decode()


def test_a_village_without_support_says_exports_are_not_compared(
    client, two_provinces, programme_officer
):
    sign_in_verified(client, programme_officer)

    response = client.get(village_page(two_provinces.jawa_timur))

    assert response.status_code == 200
    assert "Support has not started: exports are not compared yet." in response.content.decode()


def test_an_organisation_manager_reads_the_plan_without_planning(
    client, plans, two_provinces, organisation_manager
):
    sign_in_verified(client, organisation_manager)

    response = client.get(village_page(two_provinces.jawa_timur))

    assert response.status_code == 200
    assert list(response.context["items"]) == [plans["35"]]
    assert plan_page(two_provinces.jawa_timur.designation) not in response.content.decode()


def test_the_plan_of_a_village_in_another_province_answers_404(
    client, plans, two_provinces, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    response = client.get(village_page(two_provinces.jawa_tengah))

    assert response.status_code == 404


def test_a_verifier_may_not_read_a_village_plan(client, plans, two_provinces, verifier):
    sign_in_verified(client, verifier)

    response = client.get(village_page(two_provinces.jawa_timur))

    assert response.status_code == 404


def test_an_unknown_village_answers_404(client, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(f"{SUPPORT}villages/99.99.99.9999/")

    assert response.status_code == 404


def test_the_village_plan_issues_as_many_queries_for_one_item_as_for_many(
    client, plans, two_provinces, programme_officer, django_assert_num_queries
):
    east = two_provinces.jawa_timur
    sign_in_verified(client, programme_officer)
    with CaptureQueriesContext(connection) as one_item:
        client.get(village_page(east))
    for _number in range(3):
        DisbursementFactory(item=SupportItemFactory(designation=east.designation))
        DesignItemFactory(designation=east.designation).deliverables.create(title="Katalog")

    with django_assert_num_queries(len(one_item.captured_queries)):
        response = client.get(village_page(east))

    assert len(response.context["items"]) == 7
