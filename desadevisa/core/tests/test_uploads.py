import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageCms, ImageFile

from desadevisa.core.tests.files import (
    MINIMAL_PDF,
    metadata_left,
    pdf_bytes,
    picture_bytes,
    picture_upload,
    png_claiming,
    tainted_jpeg,
    tainted_png,
    truncated_jpeg,
    with_attachment,
    with_javascript,
    with_launch_action,
    with_password,
)
from desadevisa.core.uploads import (
    RENDITION_SIZES,
    document_process,
    image_process,
    stored_name,
)

NOT_A_PHOTO = "This file is not a photo. Upload a JPEG, PNG or WebP picture."
NOT_EVIDENCE = "Evidence must be a PDF document or a JPEG or PNG picture."
TOO_MANY_PIXELS = "The picture has too many pixels. Upload one of at most 40 megapixels."
ACTIVE_PDF = (
    "The PDF contains JavaScript, embedded files or actions that open programs. Save it again "
    "as a plain PDF (for example by printing it to PDF) and upload that."
)


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


@pytest.mark.parametrize("picture", [tainted_jpeg, tainted_png], ids=["jpeg", "png"])
def test_comments_text_chunks_and_every_metadata_block_are_stripped_from_every_rendition(
    picture,
):
    original = picture()
    assert metadata_left(original)

    image = image_process(upload("drum.jpg", original))

    for name in RENDITION_SIZES:
        assert metadata_left(getattr(image, name)) == [], name


def test_a_photo_in_another_colour_space_is_converted_to_srgb_and_keeps_no_profile():
    output = io.BytesIO()
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
    Image.new("RGB", (8, 8), (200, 30, 30)).save(output, format="JPEG", icc_profile=lab.tobytes())

    image = image_process(upload("drum.jpg", output.getvalue()))

    with Image.open(io.BytesIO(image.full)) as rendition:
        assert "icc_profile" not in rendition.info
        assert rendition.mode == "RGB"


def test_a_truncated_photo_is_refused_even_when_another_library_allows_truncated_images(
    monkeypatch,
):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    message = rejected_message(image_process, upload("drum.jpg", truncated_jpeg()))

    assert message == NOT_A_PHOTO
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_a_picture_under_the_name_of_another_kind_of_file_is_refused():
    message = rejected_message(image_process, upload("drum.pdf", picture_bytes()))

    assert message == (
        "The file's name ends in “.pdf” but it holds a JPEG picture: upload the file under a "
        "name that says what it is."
    )


def test_a_png_named_jpg_is_a_photo_all_the_same():
    image = image_process(upload("drum.jpg", picture_bytes(image_format="PNG")))

    assert image.width == 64


def test_a_decompression_bomb_is_refused(settings):
    message = rejected_message(image_process, upload("bomb.png", png_claiming(30_000, 30_000)))

    assert message == TOO_MANY_PIXELS


def test_a_photo_over_the_size_cap_is_refused(settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 1024 * 1024
    oversized = upload("big.jpg", picture_bytes() + b"\0" * 1024 * 1024)

    assert rejected_message(image_process, oversized) == "The file is larger than 1 MB."


def test_an_empty_file_is_refused():
    assert rejected_message(image_process, upload("empty.jpg", b"")) == "The file is empty."
    assert rejected_message(document_process, upload("empty.pdf", b"")) == "The file is empty."


@pytest.mark.parametrize(
    ("name", "data", "suffix"),
    [
        ("peb.pdf", MINIMAL_PDF, "pdf"),
        ("scan.JPEG", picture_bytes(), "jpg"),
        ("scan.png", picture_bytes(image_format="PNG"), "png"),
        ("scan", picture_bytes(image_format="PNG"), "png"),
    ],
)
def test_evidence_documents_are_recognised_by_their_content(name, data, suffix):
    assert document_process(upload(name, data)).suffix == suffix


def test_a_pdf_is_kept_as_sent():
    assert document_process(upload("peb.pdf", MINIMAL_PDF)).content == MINIMAL_PDF


@pytest.mark.parametrize(
    ("name", "picture"), [("peb.jpg", tainted_jpeg), ("peb.png", tainted_png)], ids=["jpeg", "png"]
)
def test_an_evidence_picture_is_re_encoded_in_its_format_and_size_without_metadata(name, picture):
    document = document_process(upload(name, picture(width=1800, height=1000)))

    assert metadata_left(document.content) == []
    with Image.open(io.BytesIO(document.content)) as stored:
        assert (stored.format, stored.size) == (
            Image.registered_extensions()[name[-4:]],
            (1800, 1000),
        )


@pytest.mark.parametrize(
    "data",
    [b"<html>PEB</html>", b"PK\x03\x04 a zip", picture_bytes(image_format="GIF")],
    ids=["html", "zip", "gif"],
)
def test_other_evidence_is_refused_whatever_its_name(data):
    assert rejected_message(document_process, upload("peb.pdf", data)) == NOT_EVIDENCE


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("peb.pdf", picture_bytes(), "JPEG picture"),
        ("peb.jpg", MINIMAL_PDF, "PDF document"),
        ("peb.png", picture_bytes(), "JPEG picture"),
        ("peb.html", picture_bytes(image_format="PNG"), "PNG picture"),
    ],
)
def test_evidence_whose_name_contradicts_its_content_is_refused(name, data, kind):
    extension = name.rsplit(".", 1)[1]

    assert rejected_message(document_process, upload(name, data)) == (
        f"The file's name ends in “.{extension}” but it holds a {kind}: upload the file under a "
        "name that says what it is."
    )


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n<html><script>alert(1)</script></html>",
        MINIMAL_PDF[: len(MINIMAL_PDF) // 2],
        b"%PDF-1.4\n%%EOF\n",
    ],
    ids=["html-after-the-header", "cut-in-half", "no-page"],
)
def test_a_pdf_that_cannot_be_read_is_refused(data):
    assert rejected_message(document_process, upload("peb.pdf", data)) == (
        "The file is damaged or is not really a PDF document: upload the original file."
    )


def test_an_encrypted_pdf_is_refused():
    assert rejected_message(document_process, upload("peb.pdf", pdf_bytes(with_password))) == (
        "The PDF is protected with a password. Upload a copy without protection."
    )


@pytest.mark.parametrize(
    "change",
    [with_javascript, with_launch_action, with_attachment],
    ids=["javascript", "launch", "attachment"],
)
def test_a_pdf_with_active_content_is_refused(change):
    assert rejected_message(document_process, upload("peb.pdf", pdf_bytes(change))) == ACTIVE_PDF


def test_an_evidence_picture_bomb_is_refused():
    message = rejected_message(document_process, upload("peb.png", png_claiming(20_000, 20_000)))

    assert message == TOO_MANY_PIXELS


def test_an_evidence_picture_over_the_pixel_cap_is_refused(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1_000_000

    message = rejected_message(
        document_process,
        upload("peb.png", picture_bytes(width=1001, height=1000, image_format="PNG")),
    )

    assert message == "The picture has too many pixels. Upload one of at most 1 megapixels."


def test_a_truncated_evidence_picture_is_refused_even_when_truncated_images_are_allowed(
    monkeypatch,
):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    message = rejected_message(document_process, upload("peb.jpg", truncated_jpeg()))

    assert (
        message == "The file is damaged or is not really a JPEG picture: upload the original file."
    )
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_evidence_over_the_size_cap_is_refused(settings):
    settings.UPLOAD_DOCUMENT_MAX_BYTES = 1024 * 1024
    oversized = upload("peb.pdf", MINIMAL_PDF + b"\0" * 1024 * 1024)

    assert rejected_message(document_process, oversized) == "The file is larger than 1 MB."


def test_stored_names_are_random_and_ignore_the_given_name():
    first, second = stored_name("exports/evidence", "pdf"), stored_name("exports/evidence", "pdf")

    assert first != second
    assert re.fullmatch(r"exports/evidence/[0-9a-f]{32}\.pdf", first)
