"""The exhibitions' staff pages: the list with its scans and export, curation forms, refusals
of bad input (nothing written, the exact message), and the scoped view of display items."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.core.editing import record_version
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.showcase.models import DisplayItem, Exhibition, ScanTally
from desadevisa.showcase.tests.factories import (
    DisplayItemFactory,
    ExhibitionFactory,
    ExhibitionVenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def page(name: str, **kwargs) -> str:
    return reverse(f"exhibitions:{name}", kwargs=kwargs or None)


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def scans(item, count, day=datetime.date(2022, 11, 15)):
    ScanTally.objects.create(display_item=item, day=day, count=count)


@pytest.fixture
def curator(client, programme_officer):
    sign_in_verified(client, programme_officer)
    return programme_officer


@pytest.fixture
def g20(jawa_timur):
    exhibition = ExhibitionFactory(
        name_id="Desa Devisa di G20", name_en="Desa Devisa at G20", slug="g20"
    )
    village = VillageFactory(district__regency__province=jawa_timur, name="Minggirsari")
    first = DisplayItemFactory(
        exhibition=exhibition, product__village=village, product__name_en="Djembe", position=1
    )
    second = DisplayItemFactory(exhibition=exhibition, product__name_en="Rattan chair", position=2)
    return exhibition, first, second


def exhibition_data(**changes) -> dict[str, str]:
    data = {
        "name_id": "Pameran Kriya",
        "name_en": "Craft fair",
        "slug": "craft-fair",
        "starts_on": "2023-05-01",
        "ends_on": "2023-05-07",
        "description_id": "",
        "description_en": "",
    }
    return {**data, **changes}


# List -----------------------------------------------------------------------------------------


def test_the_list_shows_each_exhibition_with_its_items_and_scans(client, curator, g20):
    exhibition, first, second = g20
    scans(first, 3)
    scans(first, 2, day=datetime.date(2022, 11, 16))
    scans(second, 4)

    response = client.get(page("list"))

    [row] = response.context["page"].object_list
    assert (row.pk, row.item_count, row.scan_total) == (exhibition.pk, 2, 9)
    assert "Desa Devisa at G20" in response.content.decode()


def test_the_list_counts_only_the_items_a_provincial_officer_reads(client, provincial_officer, g20):
    _exhibition, first, second = g20
    scans(first, 3)
    scans(second, 4)
    sign_in_verified(client, provincial_officer)

    response = client.get(page("list"))

    [row] = response.context["page"].object_list
    assert (row.item_count, row.scan_total) == (1, 3)


def test_the_list_takes_the_same_queries_for_one_exhibition_and_many(client, curator, g20):
    one = query_count(client, page("list"))

    for _ in range(12):
        scans(DisplayItemFactory(exhibition=ExhibitionFactory()), 2)

    assert query_count(client, page("list")) == one


def test_the_list_exports_csv_with_the_scans_and_records_the_export(client, curator, g20):
    _exhibition, first, _second = g20
    scans(first, 5)

    response = client.get(page("list"), {"export": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].endswith("Display items,Scans")
    assert "Desa Devisa at G20,g20,2022-03-01,2022-12-31,2,5" in text
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


def test_the_list_exports_xlsx(client, curator, g20):
    response = client.get(page("list"), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')


# Exhibition detail ------------------------------------------------------------------------------


def test_the_exhibition_page_shows_scans_per_item_and_the_total(client, curator, g20):
    exhibition, first, second = g20
    scans(first, 3)
    scans(second, 4)

    response = client.get(page("detail", pk=exhibition.pk))

    assert [(item.pk, item.scan_total) for item in response.context["items"]] == [
        (first.pk, 3),
        (second.pk, 4),
    ]
    assert response.context["scan_total"] == 7
    assert f"/s/{first.code}/" in response.content.decode()


def test_the_exhibition_page_lists_only_the_items_a_provincial_officer_reads(
    client, provincial_officer, g20
):
    exhibition, first, _second = g20
    sign_in_verified(client, provincial_officer)

    response = client.get(page("detail", pk=exhibition.pk))

    assert [item.pk for item in response.context["items"]] == [first.pk]
    assert response.context["may_curate"] is False
    assert page("item-add", pk=exhibition.pk) not in response.content.decode()


def test_the_exhibition_page_takes_the_same_queries_for_one_item_and_many(client, curator, g20):
    exhibition, _first, _second = g20
    one = query_count(client, page("detail", pk=exhibition.pk))

    for _ in range(10):
        scans(DisplayItemFactory(exhibition=exhibition), 1)

    assert query_count(client, page("detail", pk=exhibition.pk)) == one


# Creating and editing an exhibition -----------------------------------------------------------


def test_a_programme_officer_creates_an_exhibition(client, curator):
    response = client.post(page("create"), exhibition_data())

    exhibition = Exhibition.objects.get(slug="craft-fair")
    assert response.status_code == 302
    assert response["Location"] == page("detail", pk=exhibition.pk)
    assert AuditEvent.objects.filter(action=AuditAction.CREATED, object_id=exhibition.pk).exists()


def test_an_exhibition_ending_before_it_starts_is_refused_with_the_models_message(client, curator):
    before = row_counts()

    response = client.post(page("create"), exhibition_data(ends_on="2023-04-30"))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "An exhibition cannot end before it starts."
    ]
    assert row_counts() == before


def test_an_exhibition_with_a_slug_already_taken_is_refused(client, curator, g20):
    before = row_counts()

    response = client.post(page("create"), exhibition_data(slug="g20"))

    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == ["Exhibition with this Slug already exists."]
    assert row_counts() == before


def test_a_programme_officer_changes_an_exhibition(client, curator, g20):
    exhibition, _first, _second = g20
    data = exhibition_data(slug="g20", seen_version=record_version(exhibition))

    response = client.post(page("update", pk=exhibition.pk), data)

    assert response.status_code == 302
    exhibition.refresh_from_db()
    assert (exhibition.name_en, exhibition.ends_on) == ("Craft fair", datetime.date(2023, 5, 7))


def test_an_edit_over_a_newer_version_answers_409_and_writes_nothing(client, curator, g20):
    exhibition, _first, _second = g20
    seen = record_version(exhibition)
    exhibition.name_en = "Changed meanwhile"
    exhibition.save()

    response = client.post(page("update", pk=exhibition.pk), exhibition_data(seen_version=seen))

    assert response.status_code == 409
    assert "Someone else saved this record" in response.content.decode()
    exhibition.refresh_from_db()
    assert exhibition.name_en == "Changed meanwhile"


def test_a_provincial_officer_cannot_create_an_exhibition(client, provincial_officer):
    sign_in_verified(client, provincial_officer)
    before = row_counts()

    response = client.post(page("create"), exhibition_data())

    assert response.status_code == 403
    assert row_counts().pop("showcase.Exhibition") == before.pop("showcase.Exhibition")


def test_a_provincial_officer_cannot_change_an_exhibition(client, provincial_officer, g20):
    exhibition, _first, _second = g20
    sign_in_verified(client, provincial_officer)

    response = client.post(page("update", pk=exhibition.pk), exhibition_data())

    assert response.status_code == 403
    exhibition.refresh_from_db()
    assert exhibition.name_en == "Desa Devisa at G20"


# Venues ---------------------------------------------------------------------------------------


def test_a_venue_is_added_and_removed(client, curator, g20):
    exhibition, _first, _second = g20

    added = client.post(
        page("venue-add", pk=exhibition.pk),
        {"name": "Bali Nusa Dua Convention Center", "city": "Nusa Dua", "held_on": "2022-11-15"},
    )
    venue = exhibition.venues.get()
    removed = client.post(page("venue-delete", pk=venue.pk))

    assert (added.status_code, removed.status_code) == (302, 302)
    assert venue.held_on == datetime.date(2022, 11, 15)
    assert not exhibition.venues.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETED, object_id=venue.pk).exists()


def test_a_second_venue_of_the_same_name_is_refused(client, curator, g20):
    exhibition, _first, _second = g20
    ExhibitionVenueFactory(exhibition=exhibition, name="Jakarta Convention Center")
    before = row_counts()

    response = client.post(
        page("venue-add", pk=exhibition.pk),
        {"name": "Jakarta Convention Center", "city": "Jakarta"},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "This exhibition already has a venue of that name."
    ]
    assert row_counts() == before


# Display items ----------------------------------------------------------------------------------


def test_the_search_offers_public_products_not_displayed_yet(client, curator, g20):
    exhibition, _first, _second = g20
    public = ProductFactory(name_en="Batik scarf", is_public=True)
    ProductFactory(name_en="Batik shirt", is_public=False)

    response = client.get(page("item-add", pk=exhibition.pk), {"q": "batik"})

    assert response.context["candidates"] == [public]
    assert (
        client.get(page("item-add", pk=exhibition.pk), {"q": "djembe"}).context["candidates"] == []
    )


def test_a_public_product_is_displayed_last_with_its_notes_and_a_code(client, curator, g20):
    exhibition, _first, _second = g20
    product = ProductFactory(is_public=True)

    response = client.post(
        page("item-add", pk=exhibition.pk),
        {"product": product.pk, "note_id": "Tenun ikat.", "note_en": "Ikat weaving."},
    )

    item = DisplayItem.objects.get(product=product)
    assert response.status_code == 302
    assert (item.exhibition, item.position, item.note_en) == (exhibition, 3, "Ikat weaving.")
    assert len(item.code) == 8


def test_a_product_not_on_the_public_showcase_is_refused(client, curator, g20):
    exhibition, _first, _second = g20
    product = ProductFactory(name_en="Private drum", is_public=False)
    before = row_counts()

    response = client.post(page("item-add", pk=exhibition.pk), {"product": product.pk})

    assert response.status_code == 400
    assert response.context["form"].errors["product"] == [
        "Only products shown on the public showcase can be displayed: “Private drum” is not public."
    ]
    assert row_counts() == before


def test_a_product_displayed_already_is_refused(client, curator, g20):
    exhibition, first, _second = g20
    before = row_counts()

    response = client.post(page("item-add", pk=exhibition.pk), {"product": first.product_id})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "This product is already displayed at the exhibition."
    ]
    assert row_counts() == before


@pytest.mark.parametrize("value", ["999999", "not-a-number", ""])
def test_an_unknown_product_is_refused(client, curator, g20, value):
    exhibition, _first, _second = g20
    before = row_counts()

    response = client.post(page("item-add", pk=exhibition.pk), {"product": value})

    assert response.status_code == 400
    expected = (
        "Choose the product to display."
        if value == ""
        else ("No product has this number; search for it again.")
    )
    assert response.context["form"].errors["product"] == [expected]
    assert row_counts() == before


def test_the_notes_of_an_item_are_changed(client, curator, g20):
    _exhibition, first, _second = g20

    response = client.post(
        page("item-update", pk=first.pk),
        {"note_id": "Baru.", "note_en": "New.", "seen_version": record_version(first)},
    )

    first.refresh_from_db()
    assert response.status_code == 302
    assert (first.note_id, first.note_en) == ("Baru.", "New.")


def test_notes_saved_over_a_newer_version_answer_409(client, curator, g20):
    _exhibition, first, _second = g20
    seen = record_version(first)
    first.note_en = "Meanwhile."
    first.save()

    response = client.post(
        page("item-update", pk=first.pk),
        {"note_id": "Baru.", "note_en": "New.", "seen_version": seen},
    )

    first.refresh_from_db()
    assert response.status_code == 409
    assert first.note_en == "Meanwhile."


def test_an_item_moves_down_and_up(client, curator, g20):
    exhibition, first, second = g20
    third = DisplayItemFactory(exhibition=exhibition, position=3)

    client.post(page("item-move", pk=first.pk, direction="down"))
    after_down = list(exhibition.display_items.values_list("pk", flat=True))
    client.post(page("item-move", pk=third.pk, direction="up"))
    after_up = list(exhibition.display_items.values_list("pk", flat=True))

    assert after_down == [second.pk, first.pk, third.pk]
    assert after_up == [second.pk, third.pk, first.pk]
    assert list(exhibition.display_items.values_list("position", flat=True)) == [1, 2, 3]


def test_the_first_item_does_not_move_up(client, curator, g20):
    exhibition, first, second = g20

    response = client.post(page("item-move", pk=first.pk, direction="up"), follow=True)

    assert list(exhibition.display_items.all()) == [first, second]
    assert "The item is already at that end of the list." in response.content.decode()


def test_an_unknown_direction_answers_404(client, curator, g20):
    _exhibition, first, _second = g20

    response = client.post(page("item-move", pk=first.pk, direction="sideways"))

    assert response.status_code == 404


def test_a_get_does_not_move_an_item(client, curator, g20):
    _exhibition, first, _second = g20

    response = client.get(page("item-move", pk=first.pk, direction="down"))

    assert response.status_code == 405
    first.refresh_from_db()
    assert first.position == 1


def test_an_item_is_removed_with_its_scans(client, curator, g20):
    exhibition, first, second = g20
    scans(first, 3)

    response = client.post(page("item-delete", pk=first.pk))

    assert response.status_code == 302
    assert list(exhibition.display_items.all()) == [second]
    assert not ScanTally.objects.exists()


def test_a_provincial_officer_cannot_curate_an_item_they_read(client, provincial_officer, g20):
    _exhibition, first, _second = g20
    sign_in_verified(client, provincial_officer)
    before = row_counts()

    responses = [
        client.post(page("item-update", pk=first.pk), {"note_en": "Mine."}),
        client.post(page("item-move", pk=first.pk, direction="down")),
        client.post(page("item-delete", pk=first.pk)),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403]
    after = row_counts()
    assert after.pop("audit.AuditEvent") == before.pop("audit.AuditEvent") + 3
    assert after == before


def test_an_item_of_another_province_answers_404_to_a_provincial_officer(
    client, provincial_officer, g20
):
    _exhibition, _first, second = g20
    sign_in_verified(client, provincial_officer)

    assert client.get(page("item-qr", pk=second.pk)).status_code == 404
    assert client.get(page("item-card", pk=second.pk)).status_code == 404


def test_the_qr_code_of_an_item_downloads_as_svg(client, curator, g20, settings):
    settings.SITE_URL = "https://desadevisa.example"
    _exhibition, first, _second = g20

    response = client.get(page("item-qr", pk=first.pk))

    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == f'attachment; filename="qr-{first.code}.svg"'
    assert response.content.startswith(b"<?xml")
    assert b"<svg" in response.content
    assert f"https://desadevisa.example/s/{first.code}/".encode() in response.content
