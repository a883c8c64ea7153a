"""The export shipment pages: list, export, detail, forms, delete and evidence download."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image, ImageFile

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.core.editing import record_version
from desadevisa.core.models import DataOrigin
from desadevisa.core.tests.files import (
    MINIMAL_PDF,
    metadata_left,
    pdf_bytes,
    pdf_upload,
    picture_bytes,
    png_claiming,
    tainted_jpeg,
    tainted_png,
    truncated_jpeg,
    with_attachment,
    with_javascript,
    with_launch_action,
    with_password,
)
from desadevisa.exports.models import ExportShipment
from desadevisa.exports.spreadsheets import EXPORT_SHIPMENT_COLUMNS
from desadevisa.exports.tests.factories import ExchangeRateFactory, ExportShipmentFactory
from desadevisa.regions.tests.factories import CountryFactory

LIST_URL = "/en/exports/shipments/"
CREATE_URL = "/en/exports/shipments/new/"
EVIDENCE_NAME = r"exports/evidence/[0-9a-f]{32}\.pdf"


def detail_url(shipment) -> str:
    return f"/en/exports/shipments/{shipment.pk}/"


def update_url(shipment) -> str:
    return f"/en/exports/shipments/{shipment.pk}/edit/"


def delete_url(shipment) -> str:
    return f"/en/exports/shipments/{shipment.pk}/delete/"


def evidence_url(shipment) -> str:
    return f"/en/exports/shipments/{shipment.pk}/evidence/"


@pytest.fixture
def rates(db):
    CountryFactory(code="JP")
    return [
        ExchangeRateFactory(
            currency="USD", valid_from=datetime.date(2022, 1, 1), idr_per_unit=Decimal("14300")
        ),
        ExchangeRateFactory(
            currency="EUR", valid_from=datetime.date(2022, 1, 1), idr_per_unit=Decimal("16200")
        ),
    ]


@pytest.fixture
def manager_client(client, two_provinces, rates):
    sign_in_verified(client, two_provinces.jawa_timur.manager)
    return client


def shipment_data(product, **changes) -> dict:
    data = {
        "product": product.pk,
        "destination": "JP",
        "shipped_on": "2022-03-15",
        "quantity": "200",
        "unit": "piece",
        "value": "6000",
        "currency": "USD",
        "value_idr": "",
        "value_usd": "",
        "peb_number": "123456",
    }
    data.update(changes)
    return data


def errors_of(response) -> dict:
    return response.context["form"].errors


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# The list -------------------------------------------------------------------------------------


def test_the_list_shows_a_provincial_officer_only_their_provinces_shipments(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(LIST_URL)

    assert two_provinces.names(response.context["listing"].page) == {
        "35.shipment",
        "35.neighbour_shipment",
    }
    assert two_provinces.jawa_tengah.product.name_id not in response.text


def test_the_list_shows_a_manager_only_their_units_shipments(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.manager)

    response = client.get(LIST_URL)

    assert two_provinces.names(response.context["listing"].page) == {"35.shipment"}


def test_a_signed_in_person_without_a_role_gets_an_empty_list(client, two_provinces, nobody):
    sign_in_verified(client, nobody)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert list(response.context["listing"].page) == []
    assert response.context["sums"]["count"] == 0


def test_the_list_refuses_to_be_posted_to(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    assert client.post(LIST_URL).status_code == 405


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_the_same_queries_for_one_shipment_and_many(
    client, administrator, django_assert_num_queries, count
):
    for _shipment in range(count):
        ExportShipmentFactory()
    sign_in_verified(client, administrator)

    # Session, user, two-factor device, roles; years, countries, provinces and currencies for
    # the filters; count, totals, whether the person may record a shipment, and the page; the
    # session's saved activity clock (a savepoint around one update).
    with django_assert_num_queries(15):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    assert response.context["sums"]["count"] == count


def test_the_list_finds_shipments_by_product_name_and_peb_number(client, administrator):
    basket = ExportShipmentFactory(product__name_id="Tas anyaman pandan", peb_number="778899")
    ExportShipmentFactory(product__name_id="Kendang", peb_number="112233")
    sign_in_verified(client, administrator)

    by_name = client.get(LIST_URL, {"q": "anyaman"})
    by_peb = client.get(LIST_URL, {"q": "7788"})

    assert list(by_name.context["listing"].page) == [basket]
    assert list(by_peb.context["listing"].page) == [basket]


def test_the_list_filters_by_year_country_province_and_currency(client, two_provinces):
    records = two_provinces.jawa_timur
    japan = CountryFactory(code="JP")
    match = ExportShipmentFactory(
        product=records.product,
        destination=japan,
        shipped_on=datetime.date(2021, 5, 1),
        currency="JPY",
    )
    ExportShipmentFactory(product=records.product, destination=japan, currency="JPY")
    sign_in_verified(client, records.officer)

    response = client.get(
        LIST_URL, {"year": "2021", "country": "JP", "province": "35", "currency": "JPY"}
    )

    assert list(response.context["listing"].page) == [match]


def test_the_province_filter_offers_only_provinces_in_scope(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(LIST_URL, {"province": "33"})

    province = next(s for s in response.context["listing"].filters if s.name == "province")
    assert list(province.options) == [("35", "Jawa Timur")]
    # A province outside the scope is ignored, not obeyed.
    assert response.context["sums"]["count"] == 2


def test_the_list_sorts_by_value_in_usd(client, administrator):
    small = ExportShipmentFactory(value_usd=Decimal("10.00"))
    large = ExportShipmentFactory(value_usd=Decimal("900.00"))
    sign_in_verified(client, administrator)

    response = client.get(LIST_URL, {"sort": "value"})

    assert list(response.context["listing"].page) == [large, small]


def test_the_totals_are_those_of_what_the_filter_shows(client, administrator):
    ExportShipmentFactory(
        currency="EUR", value_usd=Decimal("100.50"), value_idr=Decimal("1437150.00")
    )
    ExportShipmentFactory(
        currency="EUR", value_usd=Decimal("200.25"), value_idr=Decimal("2863575.00")
    )
    ExportShipmentFactory(currency="USD")
    sign_in_verified(client, administrator)

    response = client.get(LIST_URL, {"currency": "EUR"})

    assert response.context["sums"] == {
        "count": 2,
        "value_usd": Decimal("300.75"),
        "value_idr": Decimal("4300725.00"),
    }


# Exports --------------------------------------------------------------------------------------


def test_the_csv_export_has_the_spreadsheet_columns_and_the_rows_in_scope(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.get(LIST_URL, {"export": "csv"})

    rows = csv_rows(response)
    assert rows[0] == [str(column.label) for column in EXPORT_SHIPMENT_COLUMNS]
    shipment = records.shipment
    assert rows[1:] == [
        [
            shipment.product.village_id,
            shipment.product.name_id,
            "US",
            "2022-03-15",
            "200.000",
            "piece",
            "6000.00",
            "USD",
            "86100000.00",
            "6000.00",
            shipment.peb_number,
        ]
    ]
    assert response["Content-Disposition"].startswith('attachment; filename="export-shipments-')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_export_is_recorded_in_the_audit_trail(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    csv_rows(client.get(LIST_URL, {"export": "csv"}))

    event = AuditEvent.objects.latest("pk")
    assert event.action == AuditAction.EXPORTED
    assert event.summary == "export-shipments: 2 rows"


def test_the_export_writes_a_formula_as_plain_text(client, administrator):
    ExportShipmentFactory(product__name_id='=HYPERLINK("http://evil.example","x")')
    sign_in_verified(client, administrator)

    rows = csv_rows(client.get(LIST_URL, {"export": "csv"}))

    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","x")'


def test_the_xlsx_export_holds_the_filtered_rows_only(client, two_provinces):
    records = two_provinces.jawa_timur
    ExportShipmentFactory(product=records.product, currency="EUR", peb_number="555")
    sign_in_verified(client, records.officer)

    response = client.get(LIST_URL, {"currency": "EUR", "export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert len(values) == 2
    assert values[1][7] == "EUR"
    assert values[1][10] == "555"


def test_an_export_never_holds_another_provinces_shipments(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    rows = csv_rows(client.get(LIST_URL, {"export": "csv", "province": "33"}))

    products = {row[1] for row in rows[1:]}
    assert products == {
        two_provinces.jawa_timur.product.name_id,
        two_provinces.jawa_timur.neighbour_product.name_id,
    }


# Detail ---------------------------------------------------------------------------------------


def test_the_detail_shows_the_shipment_and_its_history(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(detail_url(records.shipment))

    assert response.status_code == 200
    assert records.product.name_id in response.text
    assert "86,100,000.00" in response.text
    # Provincial officers read shipments but do not change them.
    assert update_url(records.shipment) not in response.text


def test_a_shipment_a_manager_records_shows_its_creation_in_the_managers_history(
    manager_client, two_provinces
):
    """The event names the province only (a shipment has no one organisation), which the
    audit trail does not show a manager; the shipment's history still does."""
    created = manager_client.post(CREATE_URL, shipment_data(two_provinces.jawa_timur.product))

    response = manager_client.get(created["Location"])

    event = AuditEvent.objects.get(action=AuditAction.CREATED, content_type__model="exportshipment")
    assert (event.province_code, event.organisation_id) == ("35", None)
    assert list(response.context["events"]) == [event]
    assert "Nothing has been recorded for this yet." not in response.text


def test_the_detail_of_another_provinces_shipment_is_404(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(detail_url(two_provinces.jawa_tengah.shipment))

    assert response.status_code == 404
    assert AuditEvent.objects.latest("pk").action == AuditAction.ACCESS_DENIED


# Recording ------------------------------------------------------------------------------------


def test_a_manager_records_a_shipment_converted_at_the_rate_table(manager_client, two_provinces):
    product = two_provinces.jawa_timur.product

    response = manager_client.post(CREATE_URL, shipment_data(product, currency="EUR"))

    shipment = ExportShipment.objects.get(peb_number="123456")
    assert response.status_code == 302
    assert response["Location"] == detail_url(shipment)
    assert (shipment.value_idr, shipment.value_usd) == (
        Decimal("97200000.00"),
        Decimal("6797.20"),
    )
    assert shipment.destination_id == "JP"
    event = AuditEvent.objects.get(action=AuditAction.CREATED, object_id=str(shipment.pk))
    assert event.province_code == "35"


def test_values_entered_in_idr_and_usd_are_kept(manager_client, two_provinces):
    product = two_provinces.jawa_timur.product

    manager_client.post(
        CREATE_URL, shipment_data(product, value_idr="90000000", value_usd="6100.50")
    )

    shipment = ExportShipment.objects.get(peb_number="123456")
    assert (shipment.value_idr, shipment.value_usd) == (Decimal("90000000"), Decimal("6100.50"))


@pytest.mark.parametrize("country", ["JP", "jpn", "Japan", "Jepang", "Japan (JP)"])
def test_the_destination_is_chosen_by_name_or_iso_code(manager_client, two_provinces, country):
    product = two_provinces.jawa_timur.product

    manager_client.post(CREATE_URL, shipment_data(product, destination=country))

    assert ExportShipment.objects.get(peb_number="123456").destination_id == "JP"


def test_a_shipment_without_a_rate_for_its_day_is_refused_with_the_reason(
    manager_client, two_provinces
):
    product = two_provinces.jawa_timur.product

    response = manager_client.post(CREATE_URL, shipment_data(product, currency="JPY"))

    assert response.status_code == 400
    assert errors_of(response)["__all__"] == [
        "No exchange rate of JPY applies on 2022-03-15. Enter the values in IDR and USD, or "
        "add the rate to the exchange-rate table."
    ]
    assert not ExportShipment.objects.filter(peb_number="123456").exists()


BAD_INPUT = [
    (
        "shipped_on",
        "future",
        "The shipping date is in the future. Record a shipment once it has left.",
    ),
    ("quantity", "0", "The quantity must be more than zero."),
    ("quantity", "-5", "The quantity must be more than zero."),
    ("quantity", "100000001", "The quantity is more than 100,000,000: check the number."),
    ("value", "0", "The value must be more than zero."),
    ("value", "-1", "The value must be more than zero."),
    ("value", "1000000000001", "The value is more than 1,000,000,000,000: check the number."),
    ("value", "1e400", "Ensure that there are no more than 16 digits in total."),
    ("value_usd", "-3", "The value must be more than zero."),
    ("currency", "XYZ", "XYZ is not an ISO 4217 currency code."),
    ("peb_number", "PEB-12", "The PEB number is made of digits only."),
    ("peb_number", "1" * 31, "Ensure this value has at most 30 characters (it has 31)."),
    (
        "destination",
        "Atlantis",
        "“Atlantis” is not a country. Type its name, or its ISO code such as JP or JPN.",
    ),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(
    manager_client, two_provinces, field, value, message
):
    if value == "future":
        value = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    before = ExportShipment.objects.count()

    response = manager_client.post(
        CREATE_URL, shipment_data(two_provinces.jawa_timur.product, **{field: value})
    )

    assert response.status_code == 400
    assert errors_of(response)[field] == [message]
    assert ExportShipment.objects.count() == before


def test_a_product_the_person_may_not_change_cannot_be_chosen(manager_client, two_provinces):
    product = two_provinces.jawa_timur.neighbour_product

    response = manager_client.post(CREATE_URL, shipment_data(product))

    assert response.status_code == 400
    assert errors_of(response)["product"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_a_provincial_officer_is_told_they_record_no_shipments(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    get = client.get(CREATE_URL)
    post = client.post(CREATE_URL, shipment_data(two_provinces.jawa_timur.product))

    assert get.status_code == 200
    assert "You may record shipments only of products" in get.text
    assert post.status_code == 400
    assert not ExportShipment.objects.filter(peb_number="123456").exists()


def test_the_same_shipment_twice_is_refused(manager_client, two_provinces):
    product = two_provinces.jawa_timur.product
    manager_client.post(CREATE_URL, shipment_data(product))

    response = manager_client.post(CREATE_URL, shipment_data(product))

    assert response.status_code == 400
    assert errors_of(response)["__all__"] == [
        "This shipment (product, destination, date and PEB number) is already recorded."
    ]


# Evidence uploads -----------------------------------------------------------------------------


def test_evidence_is_stored_under_a_random_name(manager_client, two_provinces):
    data = shipment_data(two_provinces.jawa_timur.product, evidence_file=pdf_upload("PEB Budi.pdf"))

    manager_client.post(CREATE_URL, data)

    shipment = ExportShipment.objects.get(peb_number="123456")
    assert shipment.evidence.name.startswith("exports/evidence/")
    assert shipment.evidence.name.endswith(".pdf")
    assert len(shipment.evidence.name) == len("exports/evidence/") + 32 + len(".pdf")
    assert "Budi" not in shipment.evidence.name
    assert default_storage.open(shipment.evidence.name).read() == MINIMAL_PDF


@pytest.mark.parametrize(
    ("name", "content", "picture_format"),
    [("peb.jpg", tainted_jpeg(), "JPEG"), ("peb.png", tainted_png(), "PNG")],
    ids=["jpeg", "png"],
)
def test_an_evidence_picture_is_stored_and_downloaded_without_metadata(
    manager_client, two_provinces, name, content, picture_format
):
    data = shipment_data(
        two_provinces.jawa_timur.product, evidence_file=SimpleUploadedFile(name, content)
    )

    manager_client.post(CREATE_URL, data)

    shipment = ExportShipment.objects.get(peb_number="123456")
    stored = default_storage.open(shipment.evidence.name).read()
    downloaded = b"".join(manager_client.get(evidence_url(shipment)).streaming_content)
    assert metadata_left(stored) == []
    assert downloaded == stored
    with Image.open(io.BytesIO(stored)) as picture:
        assert (picture.format, picture.size) == (picture_format, (64, 48))


BAD_EVIDENCE = [
    (
        SimpleUploadedFile("peb.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        "Evidence must be a PDF document or a JPEG or PNG picture.",
    ),
    (
        SimpleUploadedFile("peb.pdf", b"a" * (10 * 1024 * 1024 + 1), "application/pdf"),
        "The file is larger than 10 MB.",
    ),
    (SimpleUploadedFile("peb.pdf", b"", "application/pdf"), "The submitted file is empty."),
    (
        SimpleUploadedFile("peb.png", png_claiming(20_000, 20_000), "image/png"),
        "The picture has too many pixels. Upload one of at most 40 megapixels.",
    ),
    (
        SimpleUploadedFile("peb.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>"),
        "The file is damaged or is not really a PDF document: upload the original file.",
    ),
    (
        SimpleUploadedFile("peb.pdf", pdf_bytes(with_password), "application/pdf"),
        "The PDF is protected with a password. Upload a copy without protection.",
    ),
    *(
        (
            SimpleUploadedFile("peb.pdf", pdf_bytes(change), "application/pdf"),
            "The PDF contains JavaScript, embedded files or actions that open programs. Save it "
            "again as a plain PDF (for example by printing it to PDF) and upload that.",
        )
        for change in (with_javascript, with_launch_action, with_attachment)
    ),
    (
        SimpleUploadedFile("peb.pdf", picture_bytes(), "application/pdf"),
        "The file's name ends in “.pdf” but it holds a JPEG picture: upload the file under a "
        "name that says what it is.",
    ),
    (
        SimpleUploadedFile("peb.jpg", truncated_jpeg(), "image/jpeg"),
        "The file is damaged or is not really a JPEG picture: upload the original file.",
    ),
]


@pytest.mark.parametrize(
    ("upload", "message"),
    BAD_EVIDENCE,
    ids=[
        "html",
        "too-large",
        "empty",
        "pixel-bomb",
        "html-behind-a-pdf-header",
        "encrypted-pdf",
        "javascript-pdf",
        "launch-pdf",
        "attachment-pdf",
        "picture-named-pdf",
        "truncated-jpeg",
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(
    manager_client, two_provinces, tmp_path, monkeypatch, upload, message
):
    # Whatever another library allows, a damaged picture stays refused.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    response = manager_client.post(
        CREATE_URL, shipment_data(two_provinces.jawa_timur.product, evidence_file=upload)
    )

    assert response.status_code == 400
    assert errors_of(response)["evidence_file"] == [message]
    assert not ExportShipment.objects.filter(peb_number="123456").exists()
    assert not (tmp_path / "exports").exists()


# Editing --------------------------------------------------------------------------------------


def edit_data(shipment, **changes) -> dict:
    data = shipment_data(
        shipment.product,
        destination=shipment.destination_id,
        value_idr=str(shipment.value_idr),
        value_usd=str(shipment.value_usd),
        peb_number=shipment.peb_number,
        seen_version=record_version(shipment),
    )
    data.update(changes)
    return data


def test_a_manager_changes_a_shipment(manager_client, two_provinces):
    shipment = two_provinces.jawa_timur.shipment

    response = manager_client.post(update_url(shipment), edit_data(shipment, quantity="250"))

    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.quantity == Decimal("250")
    event = AuditEvent.objects.get(action=AuditAction.CHANGED, object_id=str(shipment.pk))
    assert event.changes["quantity"] == ["200.000", "250.000"]


def test_a_form_saved_over_a_newer_version_says_so_and_changes_nothing(
    manager_client, two_provinces
):
    shipment = two_provinces.jawa_timur.shipment
    stale = edit_data(shipment, quantity="999")
    ExportShipment.objects.filter(pk=shipment.pk).first().save()

    response = manager_client.post(update_url(shipment), stale)

    assert response.status_code == 409
    assert errors_of(response)["__all__"] == [
        "Someone else saved this record after you opened the form. Your changes were not "
        "saved: reload the page to see the current version, then make your changes again."
    ]
    shipment.refresh_from_db()
    assert shipment.quantity == Decimal("200")


def test_a_provincial_officer_may_read_but_not_change_a_shipment(client, two_provinces):
    shipment = two_provinces.jawa_timur.shipment
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.post(update_url(shipment), edit_data(shipment, quantity="1"))

    assert response.status_code == 403
    shipment.refresh_from_db()
    assert shipment.quantity == Decimal("200")


@pytest.mark.parametrize("make_url", [update_url, delete_url, evidence_url, detail_url])
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_shipment_url_of_another_province_answers_404(
    client, two_provinces, make_url, method
):
    shipment = two_provinces.jawa_tengah.shipment
    shipment.evidence.save("e.pdf", ContentFile(MINIMAL_PDF))
    sign_in_verified(client, two_provinces.jawa_timur.manager)

    response = getattr(client, method)(make_url(shipment))

    assert response.status_code == 404
    assert ExportShipment.objects.filter(pk=shipment.pk, quantity=Decimal("200")).exists()


def test_replacing_evidence_deletes_the_old_file_once_saved(
    manager_client, two_provinces, django_capture_on_commit_callbacks
):
    shipment = two_provinces.jawa_timur.shipment
    shipment.evidence.save("old.pdf", ContentFile(MINIMAL_PDF))
    old = shipment.evidence.name
    data = edit_data(shipment, evidence_file=pdf_upload())

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(update_url(shipment), data)

    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.evidence.name != old
    assert default_storage.exists(shipment.evidence.name)
    assert not default_storage.exists(old)


def test_removing_evidence_deletes_its_file(
    manager_client, two_provinces, django_capture_on_commit_callbacks
):
    shipment = two_provinces.jawa_timur.shipment
    shipment.evidence.save("old.pdf", ContentFile(MINIMAL_PDF))
    old = shipment.evidence.name

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(update_url(shipment), edit_data(shipment, remove_evidence="on"))

    shipment.refresh_from_db()
    assert not shipment.evidence
    assert not default_storage.exists(old)


def test_a_refused_change_keeps_the_old_evidence_and_stores_no_new_file(
    manager_client, two_provinces, django_capture_on_commit_callbacks, tmp_path
):
    shipment = two_provinces.jawa_timur.shipment
    shipment.evidence.save("old.pdf", ContentFile(MINIMAL_PDF))
    old = shipment.evidence.name
    data = edit_data(shipment, evidence_file=pdf_upload(), currency="JPY", value_idr="")

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(update_url(shipment), data)

    assert response.status_code == 400
    assert default_storage.exists(old)
    assert [path.name for path in (tmp_path / "exports" / "evidence").iterdir()] == [
        old.rsplit("/", 1)[1]
    ]


# Deleting -------------------------------------------------------------------------------------


def test_a_manager_deletes_a_shipment_and_its_evidence(
    manager_client, two_provinces, django_capture_on_commit_callbacks
):
    shipment = two_provinces.jawa_timur.shipment
    shipment.evidence.save("old.pdf", ContentFile(MINIMAL_PDF))
    name = shipment.evidence.name

    confirm = manager_client.get(delete_url(shipment))
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(delete_url(shipment))

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert not ExportShipment.objects.filter(pk=shipment.pk).exists()
    assert not default_storage.exists(name)
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETED, object_id=str(shipment.pk)
    ).exists()


def test_a_verifier_may_not_delete_a_shipment(client, two_provinces, verifier):
    shipment = two_provinces.jawa_timur.shipment
    sign_in_verified(client, verifier)

    response = client.post(delete_url(shipment))

    assert response.status_code == 403
    assert ExportShipment.objects.filter(pk=shipment.pk).exists()


# Evidence download ----------------------------------------------------------------------------


def test_the_evidence_is_downloaded_as_an_attachment_with_nosniff(client, two_provinces):
    shipment = two_provinces.jawa_timur.shipment
    shipment.evidence.save("peb.pdf", ContentFile(MINIMAL_PDF))
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(evidence_url(shipment))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="shipment-{shipment.pk}-evidence.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_a_shipment_without_evidence_has_no_download(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    assert client.get(evidence_url(two_provinces.jawa_timur.shipment)).status_code == 404


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_stored_file_is_not_served_from_the_media_path(client, two_provinces, signed_in):
    shipment = two_provinces.jawa_timur.shipment
    shipment.evidence.save("peb.pdf", ContentFile(MINIMAL_PDF))
    if signed_in:
        sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(f"/media/{shipment.evidence.name}")

    assert response.status_code == 404


def test_a_product_of_another_village_is_not_offered_to_a_manager(manager_client, two_provinces):
    ProductFactory()

    response = manager_client.get(CREATE_URL)

    assert list(response.context["form"].fields["product"].queryset) == [
        two_provinces.jawa_timur.product
    ]


def test_the_list_labels_demonstration_shipments(client, administrator):
    ExportShipmentFactory(origin=DataOrigin.DEMO)
    sign_in_verified(client, administrator)

    response = client.get(LIST_URL)

    assert '<span class="badge badge--demo">Demonstration data</span>' in response.text
    assert '<div class="demo-banner">' in response.text


def test_a_script_in_a_product_name_is_shown_escaped(client, administrator):
    ExportShipmentFactory(product__name_id="<script>alert(1)</script>")
    sign_in_verified(client, administrator)

    response = client.get(LIST_URL)

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
