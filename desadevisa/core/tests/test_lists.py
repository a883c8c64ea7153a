import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Q
from django.test import RequestFactory
from django.utils import translation
from openpyxl import load_workbook

from desadevisa.core.lists import (
    Column,
    Filter,
    ListDefinition,
    Sort,
    cell_value,
    csv_lines,
    list_export,
    list_page,
    xlsx_file,
)
from desadevisa.regions.models import Country
from desadevisa.regions.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

DEFINITION = ListDefinition(
    search=lambda rows, query: rows.filter(Q(name_en__icontains=query) | Q(code=query.upper())),
    filters=(
        Filter(
            "initial",
            "Initial",
            lambda: [("F", "F"), ("J", "J")],
            lambda rows, value: rows.filter(name_en__startswith=value),
        ),
    ),
    sorts=(Sort("name", "Name", ("name_en", "code")), Sort("code", "Code", ("code",))),
    columns=(Column("code", "Code", "code"), Column("name", "Name", "name_en")),
    export_name="countries",
    per_page=2,
)


@pytest.fixture
def countries():
    return [CountryFactory(code=code) for code in ("FR", "JP", "DE", "FI")]


def listing_for(query_string: str):
    return list_page(RequestFactory().get(f"/list/?{query_string}"), Country.objects, DEFINITION)


def test_a_list_is_sorted_by_the_first_sort_and_paginated(countries):
    listing = listing_for("")

    assert [country.code for country in listing.page] == ["FI", "FR"]
    assert listing.page.paginator.count == 4
    assert listing.querystring == ""


def test_a_list_reads_search_filter_sort_and_page_from_the_query_string(countries):
    listing = listing_for("q=f&initial=F&sort=-code&page=1")

    assert [country.code for country in listing.page] == ["FR", "FI"]
    assert listing.query == "f"
    assert listing.is_filtered
    assert listing.querystring == "q=f&initial=F&sort=-code"
    assert listing.page_querystring(2) == "q=f&initial=F&sort=-code&page=2"
    assert listing.csv_querystring == "q=f&initial=F&sort=-code&export=csv"


def test_unknown_filter_values_sorts_and_pages_are_ignored(countries):
    listing = listing_for("initial=X&sort=population&page=99&export=pdf")

    assert listing.page.paginator.count == 4
    assert listing.sort == "name"
    assert listing.page.number == 2
    assert listing.export_format == ""
    assert not listing.is_filtered


def test_the_current_sort_links_to_its_reverse(countries):
    listing = listing_for("sort=code")

    assert listing.sort_links == {"name": "sort=name", "code": "sort=-code"}


def test_a_long_search_is_cut_to_one_hundred_characters(countries):
    listing = listing_for("q=" + "a" * 5000)

    assert len(listing.query) == 100


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_written_as_text():
    assert (
        cell_value('=HYPERLINK("http://evil.example","x")')
        == '\'=HYPERLINK("http://evil.example","x")'
    )
    assert [cell_value(text) for text in ("+1", "-1", "@SUM(A1)", "\tx")] == [
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
    ]
    assert cell_value("Kendang = drum") == "Kendang = drum"
    assert cell_value(Decimal("-1.50")) == Decimal("-1.50")
    with translation.override("en"):
        assert cell_value(True) == "yes"


def test_the_csv_export_has_the_headers_and_every_filtered_row(countries):
    listing = listing_for("initial=F&export=csv")

    response = list_export(listing, DEFINITION)

    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body.lstrip("\ufeff")))) == [
        ["Code", "Name"],
        ["FI", "Finland"],
        ["FR", "France"],
    ]
    assert response["Content-Disposition"].startswith('attachment; filename="countries-')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_xlsx_export_keeps_numbers_and_dates_as_such():
    columns = (Column("day", "Day", "day"), Column("amount", "Amount", "amount"))
    row = type("Row", (), {"day": datetime.date(2022, 3, 15), "amount": Decimal("12.50")})

    workbook = load_workbook(xlsx_file(columns, [row]))

    header, (day, amount) = list(workbook.active.values)
    assert header == ("Day", "Amount")
    assert day.date() == datetime.date(2022, 3, 15)
    assert amount == 12.5


def test_csv_lines_write_empty_cells_for_missing_values():
    columns = (Column("name", "Name", "name"), Column("ended", "Ended", "ended"))
    row = type("Row", (), {"name": "Kendang", "ended": None})

    lines = list(csv_lines(columns, [row]))

    assert lines[1] == "Kendang,\r\n"
