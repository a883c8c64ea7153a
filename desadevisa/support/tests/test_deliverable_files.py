"""Deliverables of product design items: their files judged by content and name, their dates
against the item's, and deletions that meet someone else's; every refusal writes nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.tests.files import MINIMAL_PDF, metadata_left, tainted_jpeg, tainted_png
from desadevisa.support.models import DesignDeliverable, SupportItem
from desadevisa.support.services import (
    SupportRefused,
    deliverable_file_check,
    design_deliverable_add,
    design_deliverable_delete,
    disbursement_delete,
    support_item_delete,
)
from desadevisa.support.tests.factories import (
    DesignDeliverableFactory,
    DesignItemFactory,
    DisbursementFactory,
    SupportItemFactory,
)

PDF = MINIMAL_PDF
NOT_A_DELIVERABLE = "A deliverable must be a PDF document or a JPEG, PNG or WebP picture."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(image_format: str) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(output, format=image_format)
    return output.getvalue()


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def refused_upload(actor, name: str, content: bytes, **changes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        design_deliverable_add(
            item=changes.pop("item", None) or DesignItemFactory(),
            title="Gambar kerja",
            upload=SimpleUploadedFile(name, content),
            actor=actor,
            **changes,
        )
    return caught.value


# Files accepted -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "image_format", "suffix"),
    [
        ("gambar.jpg", "JPEG", "jpg"),
        ("gambar.JPEG", "JPEG", "jpg"),
        ("gambar.png", "PNG", "png"),
        ("gambar.webp", "WEBP", "webp"),
    ],
)
def test_a_picture_is_accepted_and_stored_under_the_suffix_of_its_content(
    programme_officer, media, name, image_format, suffix
):
    content = picture(image_format)

    deliverable = design_deliverable_add(
        item=DesignItemFactory(),
        title="Gambar kerja",
        upload=SimpleUploadedFile(name, content),
        actor=programme_officer,
    )

    assert deliverable.file.name.endswith(f".{suffix}")
    with Image.open(media / deliverable.file.name) as stored:
        assert (stored.format, stored.size) == (image_format, (40, 30))


@pytest.mark.parametrize(
    ("name", "content"), [("gambar.jpg", tainted_jpeg()), ("gambar.png", tainted_png())]
)
def test_a_picture_is_stored_without_its_comments_text_chunks_or_metadata(
    programme_officer, media, name, content
):
    deliverable = design_deliverable_add(
        item=DesignItemFactory(),
        title="Gambar kerja",
        upload=SimpleUploadedFile(name, content),
        actor=programme_officer,
    )

    assert metadata_left((media / deliverable.file.name).read_bytes()) == []


def test_a_file_without_an_extension_is_judged_by_its_content(programme_officer, media):
    deliverable = design_deliverable_add(
        item=DesignItemFactory(),
        title="Katalog",
        upload=SimpleUploadedFile("katalog", PDF),
        actor=programme_officer,
    )

    assert deliverable.file.name.endswith(".pdf")


def test_the_persons_file_name_never_reaches_the_storage(programme_officer, media):
    deliverable = design_deliverable_add(
        item=DesignItemFactory(),
        title="Katalog",
        upload=SimpleUploadedFile("../../etc/passwd.pdf", PDF),
        actor=programme_officer,
    )

    assert deliverable.file.name.startswith("support/deliverables/")
    assert "passwd" not in deliverable.file.name
    assert [path.parent for path in stored_files(media)] == [media / "support" / "deliverables"]


# Files refused --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("gambar.pdf", b"<html><script>alert(1)</script></html>", id="html-as-pdf"),
        pytest.param("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', id="svg"),
        pytest.param("gambar.pdf", b"MZ\x90\x00\x03\x00\x00\x00program", id="program-as-pdf"),
        pytest.param("gambar.pdf", b"PK\x03\x04archive", id="archive-as-pdf"),
        pytest.param("gambar.gif", b"GIF89a\x01\x00\x01\x00", id="gif"),
    ],
)
def test_a_file_of_another_kind_is_refused_and_nothing_is_stored(
    programme_officer, media, name, content
):
    error = refused_upload(programme_officer, name, content)

    assert error.message_dict == {"file": [NOT_A_DELIVERABLE]}
    assert not DesignDeliverable.objects.exists()
    assert stored_files(media) == []


def test_a_picture_disguised_as_a_pdf_is_refused(programme_officer, media):
    error = refused_upload(programme_officer, "katalog.pdf", picture("PNG"))

    assert error.message_dict == {
        "file": [
            "The file's name ends in “.pdf” but it holds a PNG picture: upload the file under "
            "a name that says what it is."
        ]
    }
    assert stored_files(media) == []


def test_a_pdf_disguised_as_a_picture_is_refused(programme_officer, media):
    error = refused_upload(programme_officer, "gambar.jpg", PDF)

    assert error.message_dict["file"] == [
        "The file's name ends in “.jpg” but it holds a PDF document: upload the file under a "
        "name that says what it is."
    ]
    assert stored_files(media) == []


def test_a_pdf_under_a_web_page_name_is_refused(programme_officer, media):
    error = refused_upload(programme_officer, "katalog.html", PDF)

    assert "but it holds a PDF document" in error.message_dict["file"][0]
    assert stored_files(media) == []


def test_a_file_that_only_starts_like_a_picture_is_refused(programme_officer, media):
    error = refused_upload(
        programme_officer, "gambar.jpg", b"\xff\xd8\xff\xe0<html>not a picture</html>"
    )

    assert error.message_dict["file"] == [
        "The file is damaged or is not really a JPEG picture: upload the original file."
    ]
    assert stored_files(media) == []


def test_a_file_that_only_starts_like_a_pdf_is_refused(programme_officer, media):
    error = refused_upload(programme_officer, "katalog.pdf", b"%PDF-1.4\n<html></html>")

    assert error.message_dict["file"] == [
        "The file is damaged or is not really a PDF document: upload the original file."
    ]
    assert stored_files(media) == []


def test_a_file_over_the_size_cap_is_refused(programme_officer, media, settings):
    settings.UPLOAD_DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    content = PDF + b"0" * (2 * 1024 * 1024)

    error = refused_upload(programme_officer, "katalog.pdf", content)

    assert error.message_dict["file"] == ["The file is larger than 2 MB."]
    assert stored_files(media) == []


def test_an_empty_file_is_refused(programme_officer, media):
    error = refused_upload(programme_officer, "katalog.pdf", b"")

    assert error.message_dict["file"] == ["The file is empty."]


def test_the_check_leaves_the_file_ready_to_be_read_again():
    upload = SimpleUploadedFile("katalog.pdf", PDF)

    assert deliverable_file_check(upload).suffix == "pdf"
    assert upload.read() == PDF


# Dates ----------------------------------------------------------------------------------------


def test_a_delivery_date_in_the_future_is_refused(programme_officer, media):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    error = refused_upload(programme_officer, "katalog.pdf", PDF, delivered_on=tomorrow)

    assert error.message_dict == {"delivered_on": ["A delivery date cannot be in the future."]}
    assert not DesignDeliverable.objects.exists()
    assert stored_files(media) == []


def test_a_delivery_date_before_the_item_started_is_refused(programme_officer, media):
    item = DesignItemFactory(starts_on=datetime.date(2022, 1, 10))

    error = refused_upload(
        programme_officer, "katalog.pdf", PDF, item=item, delivered_on=datetime.date(2022, 1, 9)
    )

    assert error.message_dict == {
        "delivered_on": ["A delivery date cannot be before the item started (Jan. 10, 2022)."]
    }
    assert stored_files(media) == []


@pytest.mark.parametrize("day", ["start", "today"])
def test_a_delivery_on_the_first_day_or_today_is_accepted(programme_officer, day):
    item = DesignItemFactory(starts_on=datetime.date(2022, 1, 10))
    delivered_on = item.starts_on if day == "start" else timezone.localdate()

    deliverable = design_deliverable_add(
        item=item, title="Prototipe", delivered_on=delivered_on, actor=programme_officer
    )

    assert deliverable.delivered_on == delivered_on


def test_every_mistake_is_told_at_once(programme_officer, media):
    error = refused_upload(
        programme_officer,
        "katalog.pdf",
        b"<html></html>",
        delivered_on=datetime.date(2000, 1, 1),
    )

    assert set(error.message_dict) == {"delivered_on", "file"}


def test_an_organisation_manager_may_not_add_a_deliverable(organisation_manager, media):
    with pytest.raises(SupportRefused):
        design_deliverable_add(
            item=DesignItemFactory(),
            title="Katalog",
            upload=SimpleUploadedFile("katalog.pdf", PDF),
            actor=organisation_manager,
        )

    assert not DesignDeliverable.objects.exists()
    assert stored_files(media) == []


# Deletions met by someone else's --------------------------------------------------------------


def test_a_deliverable_deleted_meanwhile_is_reported(programme_officer):
    deliverable = DesignDeliverableFactory()
    design_deliverable_delete(deliverable=deliverable, actor=programme_officer)

    with pytest.raises(ValidationError) as caught:
        design_deliverable_delete(deliverable=deliverable, actor=programme_officer)

    assert caught.value.messages == ["This deliverable was already deleted."]
    assert AuditEvent.objects.filter(action=AuditAction.DELETED).count() == 1


def test_deleting_a_disbursement_returns_the_outstanding_balance(programme_officer):
    item = SupportItemFactory(approved_amount_idr=Decimal("500000000"))
    DisbursementFactory(item=item, amount_idr=Decimal("100000000"))
    mistake = DisbursementFactory(item=item, amount_idr=Decimal("50000000"))

    outstanding = disbursement_delete(disbursement=mistake, actor=programme_officer)

    assert outstanding == Decimal("400000000")


def test_a_disbursement_deleted_meanwhile_is_reported(programme_officer):
    disbursement = DisbursementFactory()
    disbursement_delete(disbursement=disbursement, actor=programme_officer)

    with pytest.raises(ValidationError) as caught:
        disbursement_delete(disbursement=disbursement, actor=programme_officer)

    assert caught.value.messages == ["This disbursement was already deleted."]


def test_an_item_deleted_meanwhile_is_reported(programme_officer):
    item = DesignItemFactory()
    support_item_delete(item=item, actor=programme_officer)

    with pytest.raises(ValidationError) as caught:
        support_item_delete(item=item, actor=programme_officer)

    assert caught.value.messages == ["This support item was already deleted."]
    assert not SupportItem.objects.exists()
