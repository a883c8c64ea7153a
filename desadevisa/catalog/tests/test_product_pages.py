"""The product pages: detail, create, edit and delete, with the bad input people send."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog import services
from desadevisa.catalog.models import Product
from desadevisa.catalog.services import product_create, product_slug
from desadevisa.catalog.tests.factories import HSCodeFactory, ProductFactory
from desadevisa.core.editing import EditConflict, record_version
from desadevisa.registry.tests.factories import CraftUnitFactory

CREATE_URL = "/en/catalog/products/new/"
TEN_MEGABYTES = 10 * 1024 * 1024


def detail_url(product) -> str:
    return f"/en/catalog/products/{product.pk}/"


def update_url(product) -> str:
    return f"/en/catalog/products/{product.pk}/edit/"


def delete_url(product) -> str:
    return f"/en/catalog/products/{product.pk}/delete/"


def product_data(units, **overrides) -> dict:
    HSCodeFactory(code="920600")
    data = {
        "name_id": "Gamelan Perunggu",
        "name_en": "Bronze gamelan",
        "description_id": "Dibuat dengan tangan.",
        "description_en": "Made by hand.",
        "hs_code": "92.06",
        "materials": "Bronze, teak",
        "uniqueness_statement": "Tuned by ear.",
        "origin_statement": "Cast in the village forge.",
        "craft_units": [unit.pk for unit in units],
        "price_min": "100.00",
        "price_max": "2500.00",
        "currency": "usd",
        "minimum_order": "2",
        "order_unit": "set",
        "lead_time_days": "60",
        "monthly_capacity": "10",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def edit_data(product, **overrides) -> dict:
    data = product_data(
        list(product.craft_units.all()),
        name_id=product.name_id,
        name_en=product.name_en,
        hs_code=product.hs_code_id,
        seen_version=record_version(product),
    )
    data.update(overrides)
    return data


# Detail --------------------------------------------------------------------------------------


def test_the_detail_shows_the_product_its_photos_and_craft_units(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(detail_url(records.product))

    assert response.status_code == 200
    assert records.product.name_en in response.text
    assert records.member_unit.name in response.text
    assert f"/en/catalog/photos/{records.photo.pk}/file/card/" in response.text


def test_a_script_in_a_description_is_shown_escaped(client, two_provinces, administrator):
    product = two_provinces.jawa_timur.product
    product.description_en = "<script>alert('x')</script>"
    product.save(update_fields=["description_en"])
    sign_in_verified(client, administrator)

    response = client.get(detail_url(product))

    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in response.text


def test_the_detail_of_another_provinces_product_is_404(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(detail_url(two_provinces.jawa_tengah.product))

    assert response.status_code == 404


def test_a_reader_who_may_not_change_sees_no_edit_link(client, two_provinces, verifier):
    product = two_provinces.jawa_timur.product
    sign_in_verified(client, verifier)

    response = client.get(detail_url(product))

    assert response.status_code == 200
    assert update_url(product) not in response.text


# Create --------------------------------------------------------------------------------------


def test_a_manager_creates_a_product_made_by_their_running_member_unit(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)
    data = product_data([records.member_unit], village=records.member_unit.village_id)
    # Fields the form does not offer are ignored (mass assignment).
    data.update({"slug": "chosen", "origin": "demo", "created_at": "2000-01-01"})

    response = client.post(CREATE_URL, data)

    product = Product.objects.get(name_en="Bronze gamelan")
    assert product.origin == "real"
    assert response.status_code == 302
    assert response["Location"] == detail_url(product)
    assert product.village_id == records.member_unit.village_id
    assert product.hs_code_id == "9206"
    assert product.currency == "USD"
    assert product.slug == "bronze-gamelan"
    assert list(product.craft_units.all()) == [records.member_unit]
    event = AuditEvent.objects.get(action=AuditAction.CREATED, object_id=str(product.pk))
    assert event.actor == records.manager
    assert event.changes["craft_units"] == [None, [records.member_unit.pk]]


def test_a_manager_is_not_offered_units_of_other_organisations(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.get(CREATE_URL)

    units = set(response.context["form"].fields["craft_units"].queryset)
    assert units == {records.member_unit}


def test_a_manager_may_not_name_a_neighbours_unit(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)
    data = product_data([records.neighbour_unit], village=records.member_unit.village_id)

    response = client.post(CREATE_URL, data)

    assert response.status_code == 400
    assert not Product.objects.filter(name_en="Bronze gamelan").exists()
    assert (
        "is not one of the available choices" in response.context["form"].errors["craft_units"][0]
    )


def test_a_manager_must_name_at_least_one_unit(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)
    data = product_data([], village=records.member_unit.village_id)

    response = client.post(CREATE_URL, data)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Choose at least one craft unit of your organisation that makes this product."
    ]
    assert not Product.objects.filter(name_en="Bronze gamelan").exists()


@pytest.mark.parametrize("person", ["provincial_officer", "verifier", "nobody"])
def test_those_who_only_read_products_may_not_create_one(client, request, two_provinces, person):
    sign_in_verified(client, request.getfixturevalue(person))

    assert client.get(CREATE_URL).status_code == 403
    records = two_provinces.jawa_timur
    data = product_data([records.member_unit], village=records.member_unit.village_id)
    assert client.post(CREATE_URL, data).status_code == 403
    assert not Product.objects.filter(name_en="Bronze gamelan").exists()


def test_an_empty_post_answers_the_form_with_its_errors(client, two_provinces, administrator):
    sign_in_verified(client, administrator)

    response = client.post(CREATE_URL)

    assert response.status_code == 400
    assert response.context["form"].errors["name_en"] == ["This field is required."]


def test_a_unit_of_another_village_is_refused(client, two_provinces, administrator):
    records = two_provinces.jawa_timur
    sign_in_verified(client, administrator)
    data = product_data(
        [two_provinces.jawa_tengah.member_unit], village=records.member_unit.village_id
    )

    response = client.post(CREATE_URL, data)

    assert response.status_code == 400
    assert response.context["form"].errors["craft_units"] == [
        "Choose craft units of the village the product is made in."
    ]


def test_the_slug_is_made_unique(db):
    ProductFactory(slug="bronze-gamelan")
    ProductFactory(slug="bronze-gamelan-2")

    assert product_slug("Bronze gamelan") == "bronze-gamelan-3"
    assert product_slug("¿¡") == "product"


def test_a_slug_taken_by_a_save_at_the_same_moment_is_chosen_again(
    two_provinces, administrator, monkeypatch
):
    records = two_provinces.jawa_timur
    chosen = []

    def slug_then_competitor(name_en: str, **options) -> str:
        # The competitor saves its product between this save's choice of slug and its INSERT.
        slug = product_slug(name_en, **options)
        if not chosen:
            ProductFactory(slug=slug)
        chosen.append(slug)
        return slug

    monkeypatch.setattr(services, "product_slug", slug_then_competitor)

    product = product_create(
        actor=administrator,
        village=records.member_unit.village,
        craft_units=[records.member_unit],
        fields={
            "name_id": "Kendang Balap",
            "name_en": "Racing drum",
            "hs_code": HSCodeFactory(),
            "price_min": Decimal(10),
            "price_max": Decimal(20),
            "currency": "USD",
            "minimum_order": 5,
            "order_unit": "piece",
            "lead_time_days": 30,
            "monthly_capacity": 100,
        },
    )

    assert chosen == ["racing-drum", "racing-drum-2"]
    assert product.slug == "racing-drum-2"
    assert (
        AuditEvent.objects.filter(action=AuditAction.CREATED, object_id=str(product.pk)).count()
        == 1
    )


def test_the_create_service_refuses_units_the_actor_may_not_name(two_provinces):
    records = two_provinces.jawa_timur
    with pytest.raises(PermissionDenied):
        product_create(
            actor=records.manager,
            village=records.member_unit.village,
            craft_units=[records.member_unit, records.neighbour_unit],
            fields={},
        )


# Bad input -----------------------------------------------------------------------------------


def post_bad(client, two_provinces, administrator, **overrides):
    records = two_provinces.jawa_timur
    sign_in_verified(client, administrator)
    data = product_data([records.member_unit], village=records.member_unit.village_id)
    data.update(overrides)
    before = Product.objects.count()
    response = client.post(CREATE_URL, data)
    assert Product.objects.count() == before
    return response


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hs_code", "123456", "“123456” is not a code of the HS nomenclature."),
        ("hs_code", "drums", "“drums” is not a code of the HS nomenclature."),
        (
            "hs_code",
            "92",
            "“92” is a chapter or a section: choose a heading (4 digits) or a subheading "
            "(6 digits) within it.",
        ),
        ("price_min", "-1", "Ensure this value is greater than or equal to 0."),
        ("price_max", "99999999999999", "Ensure this value is less than or equal to 1000000000."),
        ("price_min", "1.001", "Ensure that there are no more than 2 decimal places."),
        ("price_min", "NaN", "Enter a number."),
        ("price_max", "5000000000", "Ensure this value is less than or equal to 1000000000."),
        ("price_max", "50", "The highest price cannot be below the lowest price."),
        ("minimum_order", "0", "Ensure this value is greater than or equal to 1."),
        ("lead_time_days", "400", "Ensure this value is less than or equal to 365."),
        ("currency", "XYZ", "XYZ is not an ISO 4217 currency code."),
        ("name_en", "x" * 10_000, "Ensure this value has at most 200 characters (it has 10000)."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(
    client, two_provinces, administrator, field, value, message
):
    response = post_bad(client, two_provinces, administrator, **{field: value})

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]


def test_a_second_product_of_the_same_name_in_the_village_is_refused(
    client, two_provinces, administrator
):
    product = two_provinces.jawa_timur.product

    response = post_bad(client, two_provinces, administrator, name_id=product.name_id)

    assert response.status_code == 400
    assert response.context["form"].errors["name_id"] == [
        "This village already has a product with this name."
    ]


def test_ten_megabytes_in_a_name_is_refused_without_an_error_page(
    client, two_provinces, administrator
):
    response = post_bad(client, two_provinces, administrator, name_en="x" * TEN_MEGABYTES)

    assert response.status_code == 413
    assert (
        "What you sent is too large: the text of a form may be at most 2.5 MB, files apart."
        in response.text
    )


def test_the_village_cannot_be_set_by_the_edit_form(client, two_provinces, administrator):
    product = two_provinces.jawa_timur.product
    village = product.village_id
    sign_in_verified(client, administrator)

    client.post(
        update_url(product),
        edit_data(product, village=two_provinces.jawa_tengah.product.village_id),
    )

    product.refresh_from_db()
    assert product.village_id == village


# Update --------------------------------------------------------------------------------------


def test_a_manager_changes_their_product(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.post(
        update_url(records.product), edit_data(records.product, price_max="3000")
    )

    assert response.status_code == 302
    records.product.refresh_from_db()
    assert records.product.price_max == Decimal("3000.00")
    event = AuditEvent.objects.filter(action=AuditAction.CHANGED).latest("pk")
    assert event.changes["price_max"] == ["95.00", "3000.00"]


def test_an_edit_over_a_newer_version_is_refused_with_409_and_writes_nothing(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)
    data = edit_data(records.product, price_max="3000")
    records.product.name_en = "Changed meanwhile"
    records.product.save()
    events = AuditEvent.objects.count()

    response = client.post(update_url(records.product), data)

    assert response.status_code == 409
    assert str(EditConflict()) in response.text.replace("&#x27;", "'")
    records.product.refresh_from_db()
    assert records.product.price_max == Decimal("95.00")
    assert records.product.name_en == "Changed meanwhile"
    assert AuditEvent.objects.count() == events


def test_units_the_manager_may_not_name_are_kept_when_they_edit(client, two_provinces):
    records = two_provinces.jawa_timur
    records.product.craft_units.add(records.neighbour_unit)
    sign_in_verified(client, records.manager)
    data = edit_data(records.product, craft_units=[records.member_unit.pk])

    response = client.post(update_url(records.product), data)

    assert response.status_code == 302
    assert set(records.product.craft_units.all()) == {records.member_unit, records.neighbour_unit}


@pytest.mark.parametrize("person", ["provincial_officer", "verifier"])
def test_a_reader_who_may_not_change_gets_403_on_the_edit_form(
    client, request, two_provinces, person
):
    product = two_provinces.jawa_timur.product
    sign_in_verified(client, request.getfixturevalue(person))

    assert client.get(update_url(product)).status_code == 403
    response = client.post(update_url(product), edit_data(product, price_max="3000"))

    assert response.status_code == 403
    product.refresh_from_db()
    assert product.price_max == Decimal("95.00")


def test_a_former_members_product_may_not_be_changed_by_the_manager(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.get(update_url(records.former_product))

    assert response.status_code == 403


# Delete --------------------------------------------------------------------------------------


def test_a_product_with_export_shipments_is_not_deleted(client, two_provinces, administrator):
    product = two_provinces.jawa_timur.product
    sign_in_verified(client, administrator)

    response = client.post(delete_url(product))

    assert response.status_code == 409
    assert response.context["error"] == (
        "This product cannot be deleted: export shipments or other records refer to it. "
        "Delete or change those first."
    )
    assert Product.objects.filter(pk=product.pk).exists()
    assert product.photos.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.DELETED).exists()


def test_a_product_nothing_refers_to_is_deleted_with_its_photo_files(
    client, two_provinces, administrator, django_capture_on_commit_callbacks
):
    records = two_provinces.jawa_timur
    product = records.former_product
    from desadevisa.catalog.tests.factories import ProductPhotoFactory

    photo = ProductPhotoFactory(product=product)
    files = photo.stored_files()
    storage = photo.full.storage
    sign_in_verified(client, administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(product))

    assert response.status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()
    assert not any(storage.exists(name) for name in files)
    assert AuditEvent.objects.filter(action=AuditAction.DELETED, object_id=str(product.pk))


def test_a_verifier_may_not_delete_a_product(client, two_provinces, verifier):
    product = two_provinces.jawa_timur.former_product
    sign_in_verified(client, verifier)

    response = client.post(delete_url(product))

    assert response.status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()


def test_a_craft_unit_of_the_village_is_offered_to_national_roles_on_edit(
    client, two_provinces, administrator
):
    records = two_provinces.jawa_timur
    other_village_unit = CraftUnitFactory()
    sign_in_verified(client, administrator)

    response = client.get(update_url(records.product))

    units = set(response.context["form"].fields["craft_units"].queryset)
    assert records.member_unit in units
    assert records.neighbour_unit in units
    assert other_village_unit not in units


def test_the_form_loads_its_suggestions_script_from_a_file_and_no_inline_script(
    client, two_provinces, administrator
):
    sign_in_verified(client, administrator)

    response = client.get(update_url(two_provinces.jawa_timur.product))

    assert response.status_code == 200
    assert 'src="/static/catalog/hs_code_search.js"' in response.text
    assert "<script>" not in response.text
    assert 'data-hs-code-search="/en/catalog/hs-codes/"' in response.text
    assert 'name="seen_version"' in response.text


def test_the_detail_page_takes_a_constant_number_of_queries(
    client, two_provinces, administrator, django_assert_num_queries
):
    from desadevisa.catalog.tests.factories import ProductPhotoFactory

    product = two_provinces.jawa_timur.product
    sign_in_verified(client, administrator)
    client.get(detail_url(product))  # Caches content types.
    # Session, user, device, roles; product, photos, craft units; the change and delete
    # permissions (one each, none for national roles); history; the session's save (three).
    with django_assert_num_queries(11):
        client.get(detail_url(product))
    ProductPhotoFactory.create_batch(3, product=product)
    product.craft_units.add(*CraftUnitFactory.create_batch(3, village=product.village))

    with django_assert_num_queries(11):
        response = client.get(detail_url(product))

    assert len(response.context["photos"]) == 4


OBJECT_URLS = {
    "detail": lambda r: detail_url(r.product),
    "update": lambda r: update_url(r.product),
    "delete": lambda r: delete_url(r.product),
    "photos": lambda r: f"/en/catalog/products/{r.product.pk}/photos/",
    "caption": lambda r: f"/en/catalog/photos/{r.photo.pk}/caption/",
    "move": lambda r: f"/en/catalog/photos/{r.photo.pk}/move/",
    "cover": lambda r: f"/en/catalog/photos/{r.photo.pk}/cover/",
    "photo-delete": lambda r: f"/en/catalog/photos/{r.photo.pk}/delete/",
    "thumbnail": lambda r: f"/en/catalog/photos/{r.photo.pk}/file/thumbnail/",
    "full": lambda r: f"/en/catalog/photos/{r.photo.pk}/file/full/",
}


@pytest.mark.parametrize("page", OBJECT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("person", ["provincial_officer", "organisation_manager"])
def test_every_object_page_of_another_province_is_404_and_changes_nothing(
    client, request, two_provinces, page, method, person
):
    records = two_provinces.jawa_tengah
    sign_in_verified(client, request.getfixturevalue(person))
    version = record_version(records.product)

    response = getattr(client, method)(
        OBJECT_URLS[page](records), {"direction": "up", "caption": "x", "name_en": "x"}
    )

    assert response.status_code == 404
    records.product.refresh_from_db()
    assert record_version(records.product) == version
    assert records.product.photos.filter(pk=records.photo.pk, caption="Kendang djimbe").exists()
