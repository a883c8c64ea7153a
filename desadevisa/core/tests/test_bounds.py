"""Numbers and dates out of range are refused with a message, by every form, before they
reach a query or a column."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.utils import formats, timezone, translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.catalog.models import Product
from desadevisa.catalog.tests.test_product_pages import edit_data, product_data
from desadevisa.core import bounds
from desadevisa.core.bounds import (
    EARLIEST_DATE,
    PAST_DATES,
    PLAUSIBLE_DATES,
    PROGRAMME_DATES,
    DateBounds,
)
from desadevisa.exports.models import ExportShipment
from desadevisa.exports.tests.test_shipment_views import shipment_data
from desadevisa.imports import fields as import_fields
from desadevisa.registry.models import CraftUnit
from desadevisa.support.models import SupportItem
from desadevisa.support.outcomes import months_add
from desadevisa.support.tests.factories import SupportItemFactory
from desadevisa.support.tests.test_views import financing_values

HUGE = "1" + "0" * 30


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# The bounds themselves ------------------------------------------------------------------------


def test_the_importer_reads_the_earliest_date_of_core():
    assert import_fields.EARLIEST_DATE is EARLIEST_DATE == datetime.date(1945, 8, 17)


def test_a_date_before_independence_is_refused_with_the_earliest_day():
    assert PLAUSIBLE_DATES.error(datetime.date(1, 1, 1)) == (
        "The date must be 17 August 1945 or later."
    )


def test_a_past_date_may_be_today_but_not_tomorrow():
    today = timezone.localdate()

    assert PAST_DATES.error(today) is None
    assert PAST_DATES.error(today + datetime.timedelta(days=1)) == (
        "The date must not be in the future."
    )


def test_a_plan_may_reach_ten_years_ahead_and_no_further():
    latest = PROGRAMME_DATES.latest()

    assert latest.year == timezone.localdate().year + 10
    assert PROGRAMME_DATES.error(latest) is None
    assert PROGRAMME_DATES.error(datetime.date(9999, 12, 31)) == (
        f"The date must be {latest.day} {latest:%B} {latest.year} or earlier."
    )


def test_a_kind_may_say_in_its_own_words_why_a_later_day_is_refused():
    kind = DateBounds(EARLIEST_DATE, 0, late_message="Not yet.")

    assert kind.error(datetime.date(9999, 1, 1)) == "Not yet."


def test_the_messages_are_in_the_readers_language():
    with translation.override("id"):
        message = PLAUSIBLE_DATES.error(datetime.date(1, 1, 1))

    assert message == "Tanggal paling awal 17 Agustus 1945."


# Every form -----------------------------------------------------------------------------------


class AnyForm(forms.Form):
    """A form of the kind every page has, declaring no bound of its own."""

    day = forms.DateField(required=False)
    moment = forms.DateTimeField(required=False)
    count = forms.IntegerField(required=False)
    amount = forms.DecimalField(required=False)
    unit = forms.ModelChoiceField(CraftUnit.objects.all(), required=False)
    units = forms.ModelMultipleChoiceField(CraftUnit.objects.all(), required=False)
    note = forms.CharField(required=False)


class UnitForm(forms.ModelForm):
    class Meta:
        model = CraftUnit
        fields = ["workers_women", "monthly_capacity"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("day", "0001-01-01", "The date must be 17 August 1945 or later."),
        ("moment", "0001-01-01 00:00", "The date must be 17 August 1945 or later."),
        ("count", HUGE, "Ensure this value is less than or equal to 2147483647."),
        ("count", "-2147483649", "Ensure this value is greater than or equal to -2147483648."),
        ("amount", "NaN", "Enter a number."),
        ("amount", "Infinity", "Enter a number."),
        ("amount", HUGE, "Ensure this value is less than or equal to 1000000000000000."),
        (
            "unit",
            HUGE,
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        ("units", [HUGE], f"“{HUGE}” is not a valid value."),
        ("note", "a\x00b", "This text contains a character that is not allowed (a NUL character)."),
    ],
)
@pytest.mark.django_db
def test_a_form_without_bounds_of_its_own_refuses_what_is_out_of_range(field, value, message):
    form = AnyForm({field: value})

    assert form.errors[field] == [message]


def test_a_date_field_of_a_form_shows_its_bounds_to_the_browser():
    form = AnyForm()
    form.full_clean()

    assert form.fields["day"].widget.attrs["min"] == "1945-08-17"
    assert form.fields["day"].widget.attrs["max"] == PLAUSIBLE_DATES.latest().isoformat()


def test_a_model_form_field_holds_what_its_column_holds_and_stays_positive():
    form = UnitForm()
    field = form.fields["workers_women"]

    assert (field.min_value, field.max_value) == (0, 2147483647)
    assert form.fields["monthly_capacity"].widget.attrs["max"] == "2147483647"


@pytest.mark.django_db
def test_a_model_form_refuses_a_number_its_column_cannot_hold():
    form = UnitForm({"workers_women": "2147483648", "monthly_capacity": "-1"})

    assert form.errors == {
        "workers_women": ["Ensure this value is less than or equal to 2147483647."],
        "monthly_capacity": ["Ensure this value is greater than or equal to 0."],
    }


def test_installing_the_bounds_twice_bounds_once():
    bounds.install()

    form = UnitForm()

    assert form.fields["workers_women"].max_value == 2147483647
    assert len(form.fields["workers_women"].validators) == 2


# The pages that failed ------------------------------------------------------------------------


def test_the_audit_list_answers_dates_at_the_calendars_ends_with_the_filters_message(
    client, programme_officer
):
    sign_in_verified(client, programme_officer)
    with translation.override("id"):
        latest = formats.date_format(PLAUSIBLE_DATES.latest(), "j F Y")

    first = client.get("/id/audit/?occurred_from=0001-01-01")
    last = client.get("/id/audit/?occurred_to=9999-12-31")

    assert (first.status_code, last.status_code) == (200, 200)
    assert first.context["form"].errors["occurred_from"] == ["Tanggal paling awal 17 Agustus 1945."]
    assert last.context["form"].errors["occurred_to"] == [f"Tanggal paling lambat {latest}."]


def test_a_product_naming_a_craft_unit_beyond_every_key_is_refused_and_not_created(
    client, two_provinces
):
    east = two_provinces.jawa_timur
    sign_in_verified(client, east.manager)
    before = Product.objects.count()

    response = client.post(
        "/en/catalog/products/new/", product_data([east.member_unit], craft_units=HUGE)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["craft_units"] == [f"“{HUGE}” is not a valid value."]
    assert Product.objects.count() == before


def test_a_product_edit_naming_a_craft_unit_beyond_every_key_is_refused_and_changes_nothing(
    client, two_provinces
):
    east = two_provinces.jawa_timur
    sign_in_verified(client, east.manager)

    response = client.post(
        f"/en/catalog/products/{east.product.pk}/edit/", edit_data(east.product, craft_units=HUGE)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["craft_units"] == [f"“{HUGE}” is not a valid value."]
    assert list(east.product.craft_units.all()) == [east.member_unit]


@pytest.mark.parametrize("starts_on", ["0001-01-01", "9999-12-31", "2018-12-31"])
def test_a_support_item_dated_outside_the_programme_is_refused_and_not_stored(
    client, two_provinces, programme_officer, starts_on
):
    designation = two_provinces.jawa_timur.designation
    sign_in_verified(client, programme_officer)
    latest = PROGRAMME_DATES.latest()
    expected = (
        "The date must be 1 January 2019 or later."
        if starts_on < "2019"
        else f"The date must be {latest.day} {latest:%B} {latest.year} or earlier."
    )

    response = client.post(
        f"/en/support/designations/{designation.pk}/plan/",
        financing_values(starts_on=starts_on),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["starts_on"] == [expected]
    assert not SupportItem.objects.exists()


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)])
def test_the_village_plan_still_answers_with_a_support_item_dated_at_the_calendars_end(
    client, two_provinces, programme_officer, day
):
    east = two_provinces.jawa_timur
    item = SupportItemFactory(designation=east.designation)
    # Written past every form, as a row from before the bounds could be.
    SupportItem.objects.filter(pk=item.pk).update(starts_on=day)
    sign_in_verified(client, programme_officer)

    response = client.get(f"/en/support/villages/{east.designation.nomination.village_id}/")

    assert response.status_code == 200
    assert response.context["outcome"].started_on == day


def test_months_add_stops_at_the_calendars_first_and_last_day():
    assert months_add(datetime.date(1, 6, 15), -12) == datetime.date.min
    assert months_add(datetime.date(9999, 6, 15), 12) == datetime.date.max
    assert months_add(datetime.date(2024, 2, 29), -12) == datetime.date(2023, 2, 28)


@pytest.mark.parametrize(
    ("shipped_on", "message"),
    [
        ("0001-01-01", "The date must be 17 August 1945 or later."),
        ("1945-08-16", "The date must be 17 August 1945 or later."),
        (
            "9999-12-31",
            "The shipping date is in the future. Record a shipment once it has left.",
        ),
    ],
)
def test_a_shipment_is_dated_as_the_importer_dates_it(client, two_provinces, shipped_on, message):
    east = two_provinces.jawa_timur
    sign_in_verified(client, east.manager)
    before = ExportShipment.objects.count()

    response = client.post(
        "/en/exports/shipments/new/",
        shipment_data(east.product, shipped_on=shipped_on, value_idr="1", value_usd="1"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["shipped_on"] == [message]
    assert ExportShipment.objects.count() == before


def test_a_decimal_of_a_model_form_refuses_infinity_and_not_a_number(client, two_provinces):
    east = two_provinces.jawa_timur
    sign_in_verified(client, east.manager)
    before = ExportShipment.objects.count()

    responses = [
        client.post(
            "/en/exports/shipments/new/",
            shipment_data(east.product, value=value, value_idr="1", value_usd="1"),
        )
        for value in ("NaN", "Infinity", "-Infinity")
    ]

    assert [r.context["form"].errors["value"] for r in responses] == [["Enter a number."]] * 3
    assert ExportShipment.objects.count() == before


# Command arguments ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_batch_size_beyond_the_limit_is_refused_by_the_command_with_its_range():
    with pytest.raises(CommandError) as refused:
        call_command("inquiries_purge", "--batch-size", HUGE)

    assert str(refused.value) == (
        "Error: argument --batch-size: Give a whole number from 1 to 100,000."
    )


@pytest.mark.django_db
def test_a_file_name_with_a_nul_character_is_refused_by_the_command():
    with pytest.raises(CommandError) as refused:
        call_command("load_reference", "--hs-file", "a\x00b")

    assert str(refused.value) == (
        "Error: argument --hs-file: A file name cannot contain a NUL character."
    )


@pytest.mark.django_db
def test_a_file_name_the_system_cannot_open_ends_the_load_with_its_reason(tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("load_reference", "--regions-dir", str(tmp_path / ("x" * 300)))

    assert "File name too long" in str(refused.value)


def test_a_nul_character_in_any_field_is_refused_by_that_field_before_any_query(
    client, two_provinces
):
    east = two_provinces.jawa_timur
    sign_in_verified(client, east.manager)
    before = ExportShipment.objects.count()

    response = client.post(
        "/en/exports/shipments/new/",
        shipment_data(east.product, destination="J\x00P", currency="U\x00SD"),
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert (
        errors["destination"]
        == errors["currency"]
        == ["This text contains a character that is not allowed (a NUL character)."]
    )
    assert ExportShipment.objects.count() == before


def test_the_public_catalog_answers_a_page_number_beyond_every_offset(client, two_provinces):
    response = client.get(f"/id/products/?q=kendang&page={HUGE}")

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_username_with_a_nul_character_is_refused_by_the_command():
    with pytest.raises(CommandError) as refused:
        call_command("otp", "demo\x00jatim")

    assert str(refused.value) == (
        "Error: argument username: This text contains a character that is not allowed "
        "(a NUL character)."
    )
