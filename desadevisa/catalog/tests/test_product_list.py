"""The product list: scope, search, filters, sorts, constant queries and the export."""

import csv
import io

import pytest
from openpyxl import load_workbook

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.spreadsheets import PRODUCT_COLUMNS
from desadevisa.catalog.tests.factories import HSCodeFactory, ProductFactory
from desadevisa.registry.tests.factories import CraftUnitFactory

LIST_URL = "/en/catalog/products/"
CANARY = "CANARY-33-5e0d2b"


def names(response) -> list[str]:
    return [product.name_en for product in response.context["listing"].page]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


# Scope ---------------------------------------------------------------------------------------


def test_a_provincial_officer_lists_only_their_provinces_products(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert set(names(response)) == {
        records.product.name_en,
        records.former_product.name_en,
        records.neighbour_product.name_en,
    }


def test_a_person_without_a_role_gets_an_empty_list(client, two_provinces, nobody):
    sign_in_verified(client, nobody)

    response = client.get(LIST_URL)

    assert names(response) == []
    assert "There are no products in your area of work." in response.text


@pytest.mark.parametrize("person", ["provincial_officer", "organisation_manager"])
@pytest.mark.parametrize("query", ["", "CANARY", "canary-33"])
@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_another_provinces_canary_never_reaches_the_list_or_its_export(
    client, request, two_provinces, person, query, export
):
    product = two_provinces.jawa_tengah.product
    for field in ("name_id", "name_en", "materials", "description_en", "origin_statement"):
        setattr(product, field, CANARY)
    product.save()
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.get(LIST_URL, {"q": query, "export": export})

    body = (
        b"".join(response.streaming_content)
        if response.streaming
        else b"".join(response)
        if export
        else response.content
    )
    assert response.status_code == 200
    assert CANARY.lower().encode() not in body.lower()
    if export == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
        assert not any(CANARY in cell for cell in cells)
    assert CANARY.lower() not in str(response.headers).lower()


# Search, filters and sorts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("gamelan", {"Bronze gamelan"}),
        ("PERUNGGU", {"Bronze gamelan"}),
        ("teak", {"Bronze gamelan"}),
        ("9207", {"Electric guitar"}),
        ("92.07", {"Electric guitar"}),
        ("92", {"Bronze gamelan", "Electric guitar"}),
    ],
)
def test_the_search_finds_names_in_both_languages_materials_and_hs_codes(
    client, administrator, query, found
):
    ProductFactory(
        name_en="Bronze gamelan",
        name_id="Gamelan perunggu",
        materials="Bronze, teak",
        hs_code=HSCodeFactory(code="920600"),
    )
    ProductFactory(
        name_en="Electric guitar",
        name_id="Gitar listrik",
        materials="Mahogany",
        hs_code=HSCodeFactory(code="920710"),
    )
    sign_in_verified(client, administrator)

    response = client.get(LIST_URL, {"q": query})

    assert set(names(response)) == found


def test_the_filters_narrow_the_list(client, two_provinces, administrator):
    jawa_timur = two_provinces.jawa_timur
    jawa_timur.product.is_public = True
    jawa_timur.product.save()
    sign_in_verified(client, administrator)

    province = jawa_timur.product.village.province_id
    response = client.get(LIST_URL, {"province": province, "public": "yes"})

    assert names(response) == [jawa_timur.product.name_en]
    village = client.get(LIST_URL, {"village": two_provinces.jawa_tengah.product.village_id})
    assert len(names(village)) == 3


def test_the_province_filter_offers_only_provinces_in_the_scope(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(LIST_URL)

    province = next(s for s in response.context["listing"].filters if s.name == "province")
    assert [code for code, _label in province.options] == [
        two_provinces.jawa_timur.product.village.province_id
    ]


def test_the_hs_filter_offers_chapters_and_headings_present(client, administrator):
    ProductFactory(hs_code=HSCodeFactory(code="920600"))
    ProductFactory(hs_code=HSCodeFactory(code="4420"))
    sign_in_verified(client, administrator)

    response = client.get(LIST_URL, {"hs": "44"})

    hs = next(s for s in response.context["listing"].filters if s.name == "hs")
    assert [code for code, _label in hs.options] == ["44", "92", "4420", "9206"]
    assert [p.hs_code_id for p in response.context["listing"].page] == ["4420"]


def test_the_list_sorts_by_price_both_ways(client, administrator):
    ProductFactory(name_en="Cheap", price_min=1, price_max=2)
    ProductFactory(name_en="Dear", price_min=50, price_max=60)
    sign_in_verified(client, administrator)

    assert names(client.get(LIST_URL, {"sort": "price"})) == ["Cheap", "Dear"]
    assert names(client.get(LIST_URL, {"sort": "-price"})) == ["Dear", "Cheap"]


def test_the_list_refuses_to_be_posted_to(client, administrator):
    sign_in_verified(client, administrator)

    assert client.post(LIST_URL).status_code == 405


# Queries -------------------------------------------------------------------------------------


def products_with_units(count: int) -> None:
    for _ in range(count):
        ProductFactory(craft_units=CraftUnitFactory.create_batch(2))


# Session, user, one-time device, roles; the province, village and HS filter choices; count,
# rows, their craft units; the session's save (three). The export records itself in the audit
# log instead of counting the rows a second time.
@pytest.mark.parametrize(("export", "queries"), [("", 13), ("csv", 14)])
def test_the_list_takes_as_many_queries_for_one_row_as_for_many(
    client, administrator, django_assert_num_queries, export, queries
):
    sign_in_verified(client, administrator)
    products_with_units(1)
    client.get(LIST_URL)  # Caches content types and translations.
    with django_assert_num_queries(queries):
        response = client.get(LIST_URL, {"export": export})
        one = len(csv_rows(response)) if export else len(response.context["listing"].page)

    products_with_units(29)
    with django_assert_num_queries(queries):
        response = client.get(LIST_URL, {"export": export})
        many = len(csv_rows(response)) if export else len(response.context["listing"].page)

    assert (one, many) == ((2, 31) if export else (1, 25))


# Export --------------------------------------------------------------------------------------


def test_the_csv_export_has_the_product_columns_and_records_the_export(client, administrator):
    unit_b, unit_a = CraftUnitFactory(name="Sanggar B"), CraftUnitFactory(name="Sanggar A")
    product = ProductFactory(
        name_en="Bronze gamelan", hs_code=HSCodeFactory(code="920600"), craft_units=[unit_b, unit_a]
    )
    sign_in_verified(client, administrator)

    response = client.get(LIST_URL, {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="products-')
    assert response["X-Content-Type-Options"] == "nosniff"
    header, row = csv_rows(response)
    assert header == [str(column.label) for column in PRODUCT_COLUMNS]
    values = dict(zip([column.name for column in PRODUCT_COLUMNS], row, strict=True))
    assert values["village_code"] == product.village_id
    assert values["hs_code"] == "920600"
    assert values["craft_units"] == "Sanggar A; Sanggar B"
    assert values["price_min"] == "12.00"
    assert values["is_public"] == "no"
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert event.summary == "products: 1 rows"


def test_the_export_writes_formulas_as_text(client, administrator):
    ProductFactory(name_en='=HYPERLINK("http://evil.example","x")', materials="+1-2", name_id="@x")
    sign_in_verified(client, administrator)

    csv_response = client.get(LIST_URL, {"export": "csv"})
    xlsx_response = client.get(LIST_URL, {"export": "xlsx"})

    _header, row = csv_rows(csv_response)
    assert row[2] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[1] == "'@x"
    assert row[6] == "'+1-2"
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_response))).active
    cells = list(sheet.iter_rows(values_only=True))[1]
    assert cells[2] == '\'=HYPERLINK("http://evil.example","x")'


def test_the_export_follows_the_filter(client, two_provinces, administrator):
    sign_in_verified(client, administrator)
    province = two_provinces.jawa_timur.product.village.province_id

    response = client.get(LIST_URL, {"province": province, "export": "csv"})

    rows = csv_rows(response)[1:]
    assert {row[0] for row in rows} == {two_provinces.jawa_timur.product.village_id}
    assert len(rows) == 3
