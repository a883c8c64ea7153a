import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from desadevisa.core.tests.files import MINIMAL_PDF, picture_bytes, picture_upload
from desadevisa.core.uploads import (
    RENDITION_SIZES,
    document_check,
    image_process,
    stored_name,
)

NOT_A_PHOTO = "This file is not a photo. Upload a JPEG, PNG or WebP picture."


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English."""
    with translation.override("en"):
        yield


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def rejected_message(call, *args) -> str:
    with pytest.raises(ValidationError) as raised:
        call(*args)
    return raised.value.messages[0]


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8825)[2] = (7.0, 59.0, 0.0)
    return exif.tobytes()


def huge_png(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels, with almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def test_a_photo_becomes_three_jpeg_renditions_within_their_sizes():
    image = image_process(picture_upload(width=2400, height=1200, image_format="PNG"))

    sizes = {}
    for name in RENDITION_SIZES:
        with Image.open(io.BytesIO(getattr(image, name))) as rendition:
            assert rendition.format == "JPEG"
            sizes[name] = rendition.size
    assert sizes == {"thumbnail": (320, 160), "card": (800, 400), "full": (1600, 800)}
    assert (image.width, image.height) == (1600, 800)


def test_a_small_photo_is_not_enlarged():
    image = image_process(picture_upload(width=64, height=48))

    assert (image.width, image.height) == (64, 48)


def test_metadata_and_gps_are_stripped_from_every_rendition():
    original = picture_upload(exif=gps_exif())
    with Image.open(io.BytesIO(original.read())) as camera:
        assert camera.getexif().get_ifd(0x8825)

    image = image_process(original)

    for name in RENDITION_SIZES:
        with Image.open(io.BytesIO(getattr(image, name))) as rendition:
            assert not rendition.getexif()
            assert "exif" not in rendition.info


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("drum.jpg", MINIMAL_PDF),
        ("drum.jpg", b"<html><script>alert(1)</script></html>"),
        ("drum.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("drum.gif", picture_bytes(image_format="GIF")),
        ("drum.jpg", picture_bytes()[:200]),
    ],
    ids=["pdf", "html", "svg", "gif", "truncated"],
)
def test_what_is_not_a_jpeg_png_or_webp_picture_is_refused_whatever_its_name(name, data):
    assert rejected_message(image_process, upload(name, data)) == NOT_A_PHOTO


def test_a_png_html_polyglot_is_re_encoded_so_no_html_remains():
    polyglot = picture_bytes(image_format="PNG") + b"<html><script>alert(1)</script></html>"

    image = image_process(upload("polyglot.png", polyglot))

    assert b"<script>" not in image.full


def test_a_decompression_bomb_is_refused(settings):
    message = rejected_message(image_process, upload("bomb.png", huge_png(30_000, 30_000)))

    assert message == "The picture has too many pixels. Upload one of at most 40 megapixels."


def test_a_photo_over_the_size_cap_is_refused(settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 1024 * 1024
    oversized = upload("big.jpg", picture_bytes() + b"\0" * 1024 * 1024)

    assert rejected_message(image_process, oversized) == "The file is larger than 1 MB."


def test_an_empty_file_is_refused():
    assert rejected_message(image_process, upload("empty.jpg", b"")) == "The file is empty."
    assert rejected_message(document_check, upload("empty.pdf", b"")) == "The file is empty."


@pytest.mark.parametrize(
    ("data", "suffix"),
    [(MINIMAL_PDF, "pdf"), (picture_bytes(), "jpg"), (picture_bytes(image_format="PNG"), "png")],
)
def test_evidence_documents_are_recognised_by_their_content(data, suffix):
    assert document_check(upload("scan.bin", data)) == suffix


@pytest.mark.parametrize(
    "data",
    [b"<html>PEB</html>", b"PK\x03\x04 a zip", picture_bytes(image_format="GIF")],
    ids=["html", "zip", "gif"],
)
def test_other_evidence_is_refused_whatever_its_name(data):
    assert (
        rejected_message(document_check, upload("peb.pdf", data))
        == "Evidence must be a PDF document or a JPEG or PNG picture."
    )


def test_evidence_over_the_size_cap_is_refused(settings):
    settings.UPLOAD_DOCUMENT_MAX_BYTES = 1024 * 1024
    oversized = upload("peb.pdf", MINIMAL_PDF + b"\0" * 1024 * 1024)

    assert rejected_message(document_check, oversized) == "The file is larger than 1 MB."


def test_stored_names_are_random_and_ignore_the_given_name():
    first, second = stored_name("exports/evidence", "pdf"), stored_name("exports/evidence", "pdf")

    assert first != second
    assert re.fullmatch(r"exports/evidence/[0-9a-f]{32}\.pdf", first)
