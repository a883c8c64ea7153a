"""The exchange-rate table pages: every staff member reads, national roles keep it."""

import datetime
from decimal import Decimal

import pytest

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.editing import record_version
from desadevisa.exports.models import ExchangeRate
from desadevisa.exports.permissions import ExchangeRateAction, exchange_rate_can
from desadevisa.exports.tests.factories import ExchangeRateFactory

LIST_URL = "/en/exports/exchange-rates/"
CREATE_URL = "/en/exports/exchange-rates/new/"


def update_url(rate) -> str:
    return f"/en/exports/exchange-rates/{rate.pk}/edit/"


def delete_url(rate) -> str:
    return f"/en/exports/exchange-rates/{rate.pk}/delete/"


def rate_data(**changes) -> dict:
    return {"currency": "EUR", "valid_from": "2022-01-01", "idr_per_unit": "16200.5", **changes}


@pytest.fixture
def officer_client(client, programme_officer):
    sign_in_verified(client, programme_officer)
    return client


# Permissions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "reads", "keeps"),
    [
        ("administrator", True, True),
        ("programme_officer", True, True),
        ("verifier", True, False),
        ("provincial_officer", True, False),
        ("organisation_manager", True, False),
        ("nobody", False, False),
    ],
)
def test_staff_read_the_table_and_national_roles_keep_it(request, person, reads, keeps):
    user = request.getfixturevalue(person)

    assert exchange_rate_can(user=user, action=ExchangeRateAction.VIEW) is reads
    for action in (ExchangeRateAction.CREATE, ExchangeRateAction.CHANGE, ExchangeRateAction.DELETE):
        assert exchange_rate_can(user=user, action=action) is keeps


def test_an_unknown_action_is_an_error(administrator):
    with pytest.raises(ValueError, match="Unknown action"):
        exchange_rate_can(user=administrator, action="approve")


# The list -------------------------------------------------------------------------------------


def test_a_provincial_officer_reads_the_table_without_edit_links(client, provincial_officer):
    rate = ExchangeRateFactory()
    sign_in_verified(client, provincial_officer)

    response = client.get(LIST_URL)

    assert list(response.context["listing"].page) == [rate]
    assert update_url(rate) not in response.text


def test_a_person_without_a_role_reads_no_rate(client, nobody):
    ExchangeRateFactory()
    sign_in_verified(client, nobody)

    response = client.get(LIST_URL)

    assert list(response.context["listing"].page) == []


def test_the_list_filters_by_currency(officer_client):
    ExchangeRateFactory(currency="USD")
    euro = ExchangeRateFactory(currency="EUR")

    response = officer_client.get(LIST_URL, {"currency": "EUR"})

    assert list(response.context["listing"].page) == [euro]
    assert update_url(euro) in response.text


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_the_same_queries_for_one_rate_and_many(
    client, verifier, django_assert_num_queries, count
):
    for day in range(count):
        ExchangeRateFactory(valid_from=datetime.date(2020, 1, 1) + datetime.timedelta(days=day))
    sign_in_verified(client, verifier)

    # Session, user, two-factor device, roles; currencies for the filter; count and page; the
    # session's saved activity clock (a savepoint around one update).
    with django_assert_num_queries(10):
        response = client.get(LIST_URL)

    assert response.context["listing"].page.paginator.count == count


# Adding, changing, deleting -------------------------------------------------------------------


def test_a_programme_officer_adds_a_rate(officer_client, programme_officer):
    response = officer_client.post(CREATE_URL, rate_data())

    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.idr_per_unit) == ("EUR", Decimal("16200.5"))
    event = AuditEvent.objects.get(action=AuditAction.CREATED, object_id=str(rate.pk))
    assert event.actor == programme_officer


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "XYZ", "XYZ is not an ISO 4217 currency code."),
        ("currency", "IDR", "Rupiah need no exchange rate: choose another currency."),
        ("idr_per_unit", "0", "The rate must be more than zero."),
        ("idr_per_unit", "-14000", "The rate must be more than zero."),
        (
            "idr_per_unit",
            "5000000000",
            "The rate is more than 1,000,000,000 rupiah: check the number.",
        ),
        ("valid_from", "not a date", "Enter a valid date."),
    ],
)
def test_a_bad_rate_is_refused_with_a_message(officer_client, field, value, message):
    response = officer_client.post(CREATE_URL, rate_data(**{field: value}))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not ExchangeRate.objects.exists()


def test_a_second_rate_of_a_currency_on_the_same_day_is_refused(officer_client):
    ExchangeRateFactory(currency="EUR", valid_from=datetime.date(2022, 1, 1))

    response = officer_client.post(CREATE_URL, rate_data())

    assert response.status_code == 400
    assert response.context["form"].errors["__all__"] == [
        "A rate of this currency from this day already exists."
    ]


@pytest.mark.parametrize("person", ["verifier", "provincial_officer", "organisation_manager"])
def test_others_get_404_from_the_edit_pages(db, client, request, person):
    rate = ExchangeRateFactory()
    sign_in_verified(client, request.getfixturevalue(person))

    for response in (
        client.post(CREATE_URL, rate_data()),
        client.post(update_url(rate), rate_data()),
        client.post(delete_url(rate)),
    ):
        assert response.status_code == 404
    assert list(ExchangeRate.objects.all()) == [rate]
    assert rate.idr_per_unit == ExchangeRate.objects.get().idr_per_unit


def test_a_programme_officer_changes_a_rate(officer_client):
    rate = ExchangeRateFactory(currency="EUR", idr_per_unit=Decimal("16200"))

    response = officer_client.post(
        update_url(rate), rate_data(idr_per_unit="16300", seen_version=record_version(rate))
    )

    assert response.status_code == 302
    rate.refresh_from_db()
    assert rate.idr_per_unit == Decimal("16300")
    event = AuditEvent.objects.get(action=AuditAction.CHANGED)
    assert event.changes["idr_per_unit"] == ["16200.000000", "16300.000000"]


def test_a_rate_saved_over_a_newer_version_says_so_and_changes_nothing(officer_client):
    rate = ExchangeRateFactory(currency="EUR", idr_per_unit=Decimal("16200"))
    stale = rate_data(idr_per_unit="1", seen_version=record_version(rate))
    ExchangeRate.objects.get(pk=rate.pk).save()

    response = officer_client.post(update_url(rate), stale)

    assert response.status_code == 409
    assert response.context["form"].errors["__all__"] == [
        "Someone else saved this record after you opened the form. Your changes were not "
        "saved: reload the page to see the current version, then make your changes again."
    ]
    rate.refresh_from_db()
    assert rate.idr_per_unit == Decimal("16200")


def test_a_programme_officer_deletes_a_rate(officer_client):
    rate = ExchangeRateFactory()

    confirm = officer_client.get(delete_url(rate))
    response = officer_client.post(delete_url(rate))

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert not ExchangeRate.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETED).exists()
