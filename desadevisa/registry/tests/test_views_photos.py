"""Photos of village profiles and craft units through the staff pages: uploads checked by
content, renditions served only through the scoped views (SECURITY UP-1, UP-2, AC-7)."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.core.tests.files import (
    MINIMAL_PDF,
    metadata_left,
    picture_upload,
    tainted_jpeg,
    tainted_png,
    truncated_jpeg,
)
from desadevisa.registry.models import CraftUnitPhoto, VillageProfilePhoto


def village_photos_url(records) -> str:
    return f"/en/registry/villages/{records.profile.village_id}/photos/"


def unit_photos_url(records) -> str:
    return f"/en/registry/craft-units/{records.member_unit.pk}/photos/"


def test_an_officer_uploads_several_village_photos_at_once(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(
        f"{village_photos_url(records)}add/",
        {
            "photos": [picture_upload("../../etc/passwd.jpg"), picture_upload("b.png")],
            "caption": "Pasar",
        },
    )

    assert response.status_code == 302
    added = list(records.profile.photos.filter(caption="Pasar"))
    assert len(added) == 2
    for photo in added:
        assert re.fullmatch(r"villages/[0-9a-f]{32}\.jpg", photo.full.name)


def test_a_manager_adds_a_photo_of_a_member_unit(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.post(f"{unit_photos_url(records)}add/", {"photos": picture_upload()})

    assert response.status_code == 302
    assert records.member_unit.photos.count() == 2


@pytest.mark.parametrize(
    ("name", "content"), [("unit.jpg", tainted_jpeg()), ("unit.png", tainted_png())]
)
def test_a_manager_s_unit_photo_is_stored_and_served_as_pixels_only(
    client, two_provinces, name, content
):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    client.post(f"{unit_photos_url(records)}add/", {"photos": SimpleUploadedFile(name, content)})

    photo = records.member_unit.photos.latest("pk")
    for rendition in ("thumbnail", "card", "full"):
        with photo.rendition(rendition).open("rb") as stored:
            assert metadata_left(stored.read()) == [], rendition
        served = client.get(f"{unit_photos_url(records)}{photo.pk}/{rendition}/")
        assert metadata_left(b"".join(served.streaming_content)) == [], rendition


def test_an_officer_s_village_photo_is_stored_as_pixels_only(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    client.post(
        f"{village_photos_url(records)}add/",
        {"photos": SimpleUploadedFile("desa.png", tainted_png())},
    )

    photo = records.profile.photos.latest("pk")
    for rendition in ("thumbnail", "card", "full"):
        with photo.rendition(rendition).open("rb") as stored:
            assert metadata_left(stored.read()) == [], rendition


def test_a_truncated_photo_is_refused_whatever_another_library_allows(
    client, two_provinces, monkeypatch
):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.post(
        f"{unit_photos_url(records)}add/",
        {"photos": SimpleUploadedFile("unit.jpg", truncated_jpeg(), content_type="image/jpeg")},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == [
        "unit.jpg: This file is not a photo. Upload a JPEG, PNG or WebP picture."
    ]
    assert records.member_unit.photos.count() == 1


def test_a_pdf_named_like_a_picture_is_refused_and_nothing_is_stored(
    client, two_provinces, settings
):
    records = two_provinces.jawa_timur
    before = {path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()}
    sign_in_verified(client, records.officer)

    response = client.post(
        f"{unit_photos_url(records)}add/",
        {"photos": SimpleUploadedFile("photo.jpg", MINIMAL_PDF, content_type="image/jpeg")},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == [
        "photo.jpg: This file is not a photo. Upload a JPEG, PNG or WebP picture."
    ]
    assert records.member_unit.photos.count() == 1
    assert {path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()} == before


def test_an_empty_file_is_refused(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(
        f"{village_photos_url(records)}add/",
        {"photos": SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg")},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == ["The submitted file is empty."]
    assert records.profile.photos.count() == 1


def test_no_file_at_all_is_refused(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.post(f"{village_photos_url(records)}add/", {"caption": "Tanpa foto"})

    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == ["This field is required."]


@pytest.mark.parametrize("rendition", ["thumbnail", "card", "full"])
def test_a_reader_gets_each_rendition_as_a_jpeg(client, two_provinces, rendition):
    records = two_provinces.jawa_timur
    photo = records.village_photo
    sign_in_verified(client, records.manager)

    response = client.get(f"{village_photos_url(records)}{photo.pk}/{rendition}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    picture = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert picture.format == "JPEG"


def test_an_unknown_rendition_answers_404(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(f"{unit_photos_url(records)}{records.unit_photo.pk}/original/")

    assert response.status_code == 404


def test_a_photo_asked_for_under_another_record_answers_404(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(
        f"/en/registry/craft-units/{records.former_unit.pk}/photos/{records.unit_photo.pk}/full/"
    )

    assert response.status_code == 404


def test_a_photo_of_another_province_answers_404(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)
    other = two_provinces.jawa_tengah

    response = client.get(f"{village_photos_url(other)}{other.village_photo.pk}/card/")

    assert response.status_code == 404


def test_stored_files_are_not_served_from_the_media_url(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(f"/media/{records.village_photo.full.name}")

    assert response.status_code == 404


def test_the_detail_pages_show_photos_through_the_scoped_views(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(f"/en/registry/villages/{records.profile.village_id}/")

    photo = records.village_photo
    assert f'src="{village_photos_url(records)}{photo.pk}/thumbnail/"' in response.text
    assert "/media/" not in response.text


def test_changing_a_photos_caption_and_order(client, two_provinces):
    records = two_provinces.jawa_timur
    photo = records.village_photo
    sign_in_verified(client, records.officer)

    response = client.post(
        f"{village_photos_url(records)}{photo.pk}/edit/", {"caption": "Balai desa", "position": 3}
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.caption, photo.position) == ("Balai desa", 3)


def test_a_negative_position_is_refused(client, two_provinces):
    records = two_provinces.jawa_timur
    photo = records.unit_photo
    sign_in_verified(client, records.officer)

    response = client.post(
        f"{unit_photos_url(records)}{photo.pk}/edit/", {"caption": "", "position": -1}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["position"] == [
        "Ensure this value is greater than or equal to 0."
    ]


def test_deleting_a_photo_removes_its_files(
    client, two_provinces, django_capture_on_commit_callbacks
):
    records = two_provinces.jawa_timur
    photo = records.unit_photo
    files = photo.stored_files()
    sign_in_verified(client, records.manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{unit_photos_url(records)}{photo.pk}/delete/")

    assert response.status_code == 302
    assert not CraftUnitPhoto.objects.filter(pk=photo.pk).exists()
    assert not any(default_storage.exists(name) for name in files)


def test_a_verifier_may_see_a_photo_but_not_delete_it(client, two_provinces, verifier):
    records = two_provinces.jawa_timur
    photo = records.village_photo
    sign_in_verified(client, verifier)

    seen = client.get(f"{village_photos_url(records)}{photo.pk}/thumbnail/")
    refused = client.post(f"{village_photos_url(records)}{photo.pk}/delete/")

    assert seen.status_code == 200
    assert refused.status_code == 403
    assert VillageProfilePhoto.objects.filter(pk=photo.pk).exists()
