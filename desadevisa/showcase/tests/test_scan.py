"""The QR codes' scan address: it counts a scan per item and day and sends the visitor to the
product's page in their browser's language, storing nothing about them."""

import datetime

import pytest
from django.utils import timezone

from desadevisa.showcase.exhibitions import scan_record
from desadevisa.showcase.models import ScanTally
from desadevisa.showcase.tests.factories import DisplayItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return DisplayItemFactory(exhibition__slug="g20-indonesia-2022", product__slug="kendang-djimbe")


def scan(client, item, **headers):
    return client.get(f"/s/{item.code}/", headers=headers)


def test_a_scan_is_counted_and_goes_to_the_product_page_in_indonesian_by_default(client, item):
    response = scan(client, item)

    assert response.status_code == 302
    assert response["Location"] == "/id/products/kendang-djimbe/?exhibition=g20-indonesia-2022"
    tally = ScanTally.objects.get()
    assert (tally.display_item, tally.day, tally.count) == (item, timezone.localdate(), 1)


def test_a_browser_asking_for_english_goes_to_the_english_page(client, item):
    response = scan(client, item, accept_language="en-GB,en;q=0.9,id;q=0.5")

    assert response["Location"] == "/en/products/kendang-djimbe/?exhibition=g20-indonesia-2022"


def test_a_browser_asking_for_an_unknown_language_gets_indonesian(client, item):
    response = scan(client, item, accept_language="fr-FR,fr;q=0.9")

    assert response["Location"].startswith("/id/products/")


def test_scans_of_a_day_add_up_in_one_row(client, item):
    for _ in range(3):
        scan(client, item)

    assert list(ScanTally.objects.values_list("count", flat=True)) == [3]


def test_scans_of_another_day_get_a_row_of_their_own(item):
    ScanTally.objects.create(display_item=item, day=datetime.date(2022, 11, 15), count=7)

    scan_record(item=item)

    assert sorted(ScanTally.objects.values_list("count", flat=True)) == [1, 7]


def test_a_scan_sets_no_cookie_and_is_never_cached(client, item):
    response = scan(client, item, accept_language="en")

    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]


def test_a_code_typed_in_lower_case_is_counted(client, item):
    response = client.get(f"/s/{item.code.lower()}/")

    assert response.status_code == 302
    assert ScanTally.objects.get().count == 1


def test_a_head_request_is_not_counted(client, item):
    response = client.head(f"/s/{item.code}/")

    assert response.status_code == 302
    assert not ScanTally.objects.exists()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_are_refused_and_not_counted(client, item, method):
    response = getattr(client, method)(f"/s/{item.code}/")

    assert response.status_code == 405
    assert not ScanTally.objects.exists()


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "short", "WAYTOOLONGCODE"])
def test_an_unknown_code_answers_the_not_found_page(client, item, code):
    response = client.get(f"/s/{code}/")

    assert response.status_code == 404
    assert not ScanTally.objects.exists()


def test_the_code_of_a_product_no_longer_public_answers_404_and_is_not_counted(client, item):
    item.product.is_public = False
    item.product.save()

    response = scan(client, item)

    assert response.status_code == 404
    assert not ScanTally.objects.exists()


def test_nothing_about_the_visitor_is_stored():
    fields = {field.name for field in ScanTally._meta.get_fields()}

    assert fields == {"id", "display_item", "day", "count"}
