"""Product photos: upload, order, cover, caption, delete, and their files served by scope."""

import io
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.models import ProductPhoto
from desadevisa.catalog.tests.factories import ProductPhotoFactory
from desadevisa.core.tests.files import (
    MINIMAL_PDF,
    metadata_left,
    picture_bytes,
    picture_upload,
    tainted_jpeg,
    tainted_png,
    truncated_jpeg,
)

STORED_NAME = re.compile(r"products/[0-9a-f]{32}\.jpg")
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


def photos_url(product) -> str:
    return f"/en/catalog/products/{product.pk}/photos/"


def file_url(photo, rendition: str = "full") -> str:
    return f"/en/catalog/photos/{photo.pk}/file/{rendition}/"


def action_url(photo, action: str) -> str:
    return f"/en/catalog/photos/{photo.pk}/{action}/"


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: a decompression bomb as
    far as the size check is concerned, a few dozen bytes on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + chunk(b"IEND", b"")
    )


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8825)[2] = (7.0, 59.0, 0.0)
    return exif.tobytes()


def stored_files(media_root) -> list[str]:
    return sorted(str(path.relative_to(media_root)) for path in media_root.rglob("*.jpg"))


# Upload --------------------------------------------------------------------------------------


def test_a_manager_uploads_several_photos_and_the_first_becomes_the_cover(
    client, two_provinces, settings
):
    records = two_provinces.jawa_timur
    product = records.former_product  # No photo yet; the manager may not change it, though.
    product.craft_units.add(records.member_unit)
    sign_in_verified(client, records.manager)

    response = client.post(
        photos_url(product),
        {
            "photos": [picture_upload("../../etc/passwd.jpg"), picture_upload("b.png")],
            "caption": "Drums",
        },
    )

    assert response.status_code == 302
    photos = list(product.photos.order_by("position"))
    assert [(p.position, p.is_cover, p.caption) for p in photos] == [
        (0, True, "Drums"),
        (1, False, "Drums"),
    ]
    for photo in photos:
        for name in photo.stored_files():
            assert STORED_NAME.fullmatch(name), name
    assert AuditEvent.objects.filter(action=AuditAction.CREATED, object_id=str(photos[0].pk))


def test_photos_added_later_go_after_the_others_and_keep_the_cover(client, two_provinces):
    records = two_provinces.jawa_timur
    ProductPhoto.objects.filter(pk=records.photo.pk).update(is_cover=True)
    sign_in_verified(client, records.manager)

    client.post(photos_url(records.product), {"photos": [picture_upload()]})

    photos = list(records.product.photos.order_by("position", "pk"))
    assert [(p.pk == records.photo.pk, p.is_cover) for p in photos] == [
        (True, True),
        (False, False),
    ]
    assert photos[1].position > photos[0].position


def test_stored_renditions_carry_no_exif_or_gps(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    client.post(photos_url(records.product), {"photos": [picture_upload(exif=gps_exif())]})

    photo = records.product.photos.latest("pk")
    for rendition in ("thumbnail", "card", "full"):
        with photo.rendition(rendition).open("rb") as stored, Image.open(stored) as picture:
            assert not picture.getexif()
            assert "exif" not in picture.info
        served = client.get(file_url(photo, rendition))
        with Image.open(io.BytesIO(b"".join(served.streaming_content))) as picture:
            assert not picture.getexif()


@pytest.mark.parametrize(
    ("name", "content"), [("drum.jpg", tainted_jpeg()), ("drum.png", tainted_png())]
)
def test_stored_renditions_carry_no_comment_text_chunk_or_other_metadata(
    client, two_provinces, name, content
):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    client.post(photos_url(records.product), {"photos": [SimpleUploadedFile(name, content)]})

    photo = records.product.photos.latest("pk")
    for rendition in ("thumbnail", "card", "full"):
        with photo.rendition(rendition).open("rb") as stored:
            assert metadata_left(stored.read()) == [], rendition
        served = client.get(file_url(photo, rendition))
        assert metadata_left(b"".join(served.streaming_content)) == [], rendition


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("peb.jpg", MINIMAL_PDF, content_type="image/jpeg"),
            "peb.jpg: This file is not a photo. Upload a JPEG, PNG or WebP picture.",
        ),
        (
            SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml"),
            "logo.svg: This file is not a photo. Upload a JPEG, PNG or WebP picture.",
        ),
        (
            SimpleUploadedFile("bomb.png", png_claiming(30_000, 30_000), content_type="image/png"),
            "bomb.png: The picture has too many pixels. Upload one of at most 40 megapixels.",
        ),
        (
            SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"),
            "empty.jpg: The file is empty.",
        ),
        (
            SimpleUploadedFile("cut.jpg", truncated_jpeg(), content_type="image/jpeg"),
            "cut.jpg: This file is not a photo. Upload a JPEG, PNG or WebP picture.",
        ),
        (
            SimpleUploadedFile("drum.pdf", picture_bytes(), content_type="application/pdf"),
            "drum.pdf: The file's name ends in “.pdf” but it holds a JPEG picture: upload the "
            "file under a name that says what it is.",
        ),
    ],
    ids=["pdf", "svg", "bomb", "empty", "truncated", "picture-named-pdf"],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(
    client, two_provinces, settings, tmp_path, monkeypatch, upload, message
):
    # Whatever another library allows, a damaged picture stays refused.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)
    files_before = stored_files(tmp_path)
    photos_before = ProductPhoto.objects.count()

    response = client.post(photos_url(records.product), {"photos": [picture_upload(), upload]})

    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == [message]
    assert ProductPhoto.objects.count() == photos_before
    assert stored_files(tmp_path) == files_before


def test_a_photo_larger_than_the_cap_is_refused(client, two_provinces, settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 1024
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.post(
        photos_url(records.product), {"photos": [picture_upload(width=400, height=400)]}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == ["photo.jpg: The file is larger than 0 MB."]


def test_too_many_photos_at_once_are_refused(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.post(
        photos_url(records.product), {"photos": [picture_upload() for _ in range(11)]}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == ["Upload at most 10 photos at a time."]


@pytest.mark.parametrize("person", ["provincial_officer", "verifier"])
def test_a_reader_may_not_upload(client, request, two_provinces, person):
    records = two_provinces.jawa_timur
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.post(photos_url(records.product), {"photos": [picture_upload()]})

    assert response.status_code == 403
    assert records.product.photos.count() == 1


# Order, cover, caption, delete ------------------------------------------------------------------


@pytest.fixture
def three_photos(two_provinces):
    product = two_provinces.jawa_timur.product
    first = product.photos.get()
    first.is_cover, first.position = True, 0
    first.save()
    return [first, ProductPhotoFactory(product=product), ProductPhotoFactory(product=product)]


def order_of(product) -> list[int]:
    return list(product.photos.order_by("position", "pk").values_list("pk", flat=True))


def test_a_photo_moves_up_and_down(client, two_provinces, three_photos):
    records = two_provinces.jawa_timur
    first, second, third = three_photos
    sign_in_verified(client, records.manager)

    client.post(action_url(third, "move"), {"direction": "up"})
    assert order_of(records.product) == [first.pk, third.pk, second.pk]

    client.post(action_url(first, "move"), {"direction": "down"})
    assert order_of(records.product) == [third.pk, first.pk, second.pk]

    client.post(action_url(second, "move"), {"direction": "down"})  # Already last.
    assert order_of(records.product) == [third.pk, first.pk, second.pk]


def test_choosing_another_cover_leaves_exactly_one(client, two_provinces, three_photos):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    response = client.post(action_url(three_photos[2], "cover"))

    assert response.status_code == 302
    covers = list(records.product.photos.filter(is_cover=True).values_list("pk", flat=True))
    assert covers == [three_photos[2].pk]


def test_the_caption_is_changed(client, two_provinces, three_photos):
    sign_in_verified(client, two_provinces.jawa_timur.manager)

    client.post(action_url(three_photos[1], "caption"), {"caption": "Side view"})

    three_photos[1].refresh_from_db()
    assert three_photos[1].caption == "Side view"


def test_a_caption_too_long_is_refused(client, two_provinces, three_photos):
    sign_in_verified(client, two_provinces.jawa_timur.manager)

    response = client.post(action_url(three_photos[1], "caption"), {"caption": "x" * 201})

    three_photos[1].refresh_from_db()
    assert three_photos[1].caption == "Kendang djimbe"
    assert response.status_code == 302


def test_deleting_the_cover_makes_the_next_photo_the_cover_and_removes_the_files(
    client, two_provinces, three_photos, django_capture_on_commit_callbacks
):
    records = two_provinces.jawa_timur
    first = three_photos[0]
    files, storage = first.stored_files(), first.full.storage
    sign_in_verified(client, records.manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_url(first, "delete"))

    assert response.status_code == 302
    assert not ProductPhoto.objects.filter(pk=first.pk).exists()
    assert list(records.product.photos.filter(is_cover=True)) == [three_photos[1]]
    assert not any(storage.exists(name) for name in files)


@pytest.mark.parametrize("action", ["move", "cover", "caption", "delete"])
def test_a_verifier_may_not_change_a_photo(client, two_provinces, verifier, action):
    photo = two_provinces.jawa_timur.photo
    sign_in_verified(client, verifier)

    response = client.post(action_url(photo, action), {"direction": "down", "caption": "x"})

    assert response.status_code == 403
    assert ProductPhoto.objects.filter(pk=photo.pk, caption="Kendang djimbe").exists()


# Files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("rendition", ["thumbnail", "card", "full"])
def test_a_reader_gets_each_rendition_as_a_private_jpeg(client, two_provinces, rendition):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    response = client.get(file_url(records.photo, rendition))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_an_unknown_rendition_is_404(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.officer)

    assert client.get(file_url(records.photo, "original")).status_code == 404


@pytest.mark.parametrize("rendition", ["thumbnail", "card", "full"])
def test_another_provinces_photo_file_is_404(client, two_provinces, rendition):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(file_url(two_provinces.jawa_tengah.photo, rendition))

    assert response.status_code == 404


def test_a_manager_gets_404_for_a_photo_of_another_organisations_product(client, two_provinces):
    records = two_provinces.jawa_timur
    sign_in_verified(client, records.manager)

    assert client.get(file_url(records.neighbour_photo)).status_code == 404
    assert client.post(action_url(records.neighbour_photo, "delete")).status_code == 404
    assert ProductPhoto.objects.filter(pk=records.neighbour_photo.pk).exists()
