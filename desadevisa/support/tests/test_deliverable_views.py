"""Deliverables on the design item's page: the form, the list with downloads served by a scoped
view (SECURITY AC-7), deletion; bad input refused with its message and nothing written."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.tests.files import MINIMAL_PDF
from desadevisa.support.models import DesignDeliverable
from desadevisa.support.tests.factories import DesignDeliverableFactory, DesignItemFactory

SUPPORT = "/en/support/"
PDF = MINIMAL_PDF


def item_page(item, suffix: str = "") -> str:
    return f"{SUPPORT}items/{item.pk}/{suffix}"


def add_page(item) -> str:
    return item_page(item, "deliverables/add/")


def file_page(deliverable) -> str:
    return item_page(deliverable.item, f"deliverables/{deliverable.pk}/file/")


def delete_page(deliverable) -> str:
    return item_page(deliverable.item, f"deliverables/{deliverable.pk}/delete/")


@pytest.fixture
def east(two_provinces):
    """A design item in the Jawa Timur designated village, started on 10 January 2022."""
    return DesignItemFactory(
        designation=two_provinces.jawa_timur.designation, starts_on=datetime.date(2022, 1, 10)
    )


@pytest.fixture
def central(two_provinces):
    return DesignItemFactory(designation=two_provinces.jawa_tengah.designation)


def with_file(item, title: str = "Gambar kerja kursi", content: bytes = PDF):
    deliverable = DesignDeliverableFactory(item=item, title=title)
    deliverable.file.save("stored.pdf", ContentFile(content))
    return deliverable


def stored_files(settings) -> list:
    from pathlib import Path

    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def deliverable_values(**changes) -> dict[str, object]:
    return {
        "title": "Katalog produk",
        "delivered_on": "2022-05-01",
        "file": SimpleUploadedFile("Katalog Pak Basuki.pdf", PDF),
        **changes,
    }


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 200)).save(output, format="PNG")
    return output.getvalue()


# The item page --------------------------------------------------------------------------------


def test_a_programme_officer_sees_the_deliverable_form_and_the_rows_actions(
    client, east, programme_officer
):
    deliverable = with_file(east)
    sign_in_verified(client, programme_officer)

    response = client.get(item_page(east))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body
    assert "Record the deliverable" in body
    assert file_page(deliverable) in body
    assert delete_page(deliverable) in body


def test_a_reader_who_may_not_edit_sees_downloads_but_no_form_or_delete(
    client, east, organisation_manager
):
    deliverable = with_file(east)
    sign_in_verified(client, organisation_manager)

    response = client.get(item_page(east))

    body = response.content.decode()
    assert response.status_code == 200
    assert file_page(deliverable) in body
    assert "Record the deliverable" not in body
    assert delete_page(deliverable) not in body


def test_a_deliverable_without_a_file_has_no_download_link(client, east, programme_officer):
    deliverable = DesignDeliverableFactory(item=east, title="Prototipe")
    sign_in_verified(client, programme_officer)

    body = client.get(item_page(east)).content.decode()

    assert "Prototipe" in body
    assert file_page(deliverable) not in body


def test_the_item_page_issues_as_many_queries_for_one_deliverable_as_for_many(
    client, east, programme_officer, django_assert_num_queries
):
    with_file(east)
    sign_in_verified(client, programme_officer)
    with CaptureQueriesContext(connection) as one_row:
        client.get(item_page(east))
    for number in range(4):
        with_file(east, title=f"Gambar {number}")
        DesignDeliverableFactory(item=east, title=f"Prototipe {number}")

    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(item_page(east))

    assert len(response.context["item"].deliverables.all()) == 9


# Adding ---------------------------------------------------------------------------------------


def test_a_programme_officer_adds_a_deliverable_with_its_file(
    client, east, programme_officer, settings
):
    sign_in_verified(client, programme_officer)

    response = client.post(add_page(east), deliverable_values())

    deliverable = DesignDeliverable.objects.get()
    assert response.status_code == 302
    assert response["Location"] == item_page(east)
    assert deliverable.title == "Katalog produk"
    assert deliverable.delivered_on == datetime.date(2022, 5, 1)
    assert deliverable.file.name.startswith("support/deliverables/")
    assert "Basuki" not in deliverable.file.name
    assert deliverable.file.read() == PDF
    assert AuditEvent.objects.filter(action=AuditAction.CREATED).count() == 1


def test_a_deliverable_may_come_without_a_file(client, east, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(add_page(east), deliverable_values(file=""))

    assert response.status_code == 302
    assert not DesignDeliverable.objects.get().file


def refused(client, item, field: str, **changes) -> list[str]:
    response = client.post(add_page(item), deliverable_values(**changes))
    assert response.status_code == 400
    return response.context["deliverable_form"].errors[field]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"file": SimpleUploadedFile("katalog.pdf", b"<html>not a pdf</html>")},
            "file",
            "A deliverable must be a PDF document or a JPEG, PNG or WebP picture.",
            id="wrong-type",
        ),
        pytest.param(
            {"file": SimpleUploadedFile("katalog.pdf", png())},
            "file",
            "The file's name ends in “.pdf” but it holds a PNG picture: upload the file under "
            "a name that says what it is.",
            id="picture-disguised-as-pdf",
        ),
        pytest.param(
            {"file": SimpleUploadedFile("katalog.pdf", b"%PDF-1.7\n<script>x</script>")},
            "file",
            "The file is damaged or is not really a PDF document: upload the original file.",
            id="disguised-pdf",
        ),
        pytest.param(
            {"delivered_on": "2022-01-09"},
            "delivered_on",
            "A delivery date cannot be before the item started (Jan. 10, 2022).",
            id="before-the-start",
        ),
        pytest.param(
            {"title": "  "}, "title", "Enter the title of the deliverable.", id="no-title"
        ),
        pytest.param(
            {"delivered_on": "not a date"}, "delivered_on", "Enter a valid date.", id="bad-date"
        ),
    ],
)
def test_bad_input_is_refused_with_its_message_and_nothing_is_written(
    client, east, programme_officer, settings, changes, field, message
):
    sign_in_verified(client, programme_officer)

    assert refused(client, east, field, **changes) == [message]
    assert not DesignDeliverable.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATED).exists()
    assert not any("deliverables" in str(path) for path in stored_files(settings))


def test_a_delivery_date_in_the_future_is_refused(client, east, programme_officer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    sign_in_verified(client, programme_officer)

    assert refused(client, east, "delivered_on", delivered_on=tomorrow.isoformat()) == [
        "A delivery date cannot be in the future."
    ]
    assert not DesignDeliverable.objects.exists()


def test_a_file_over_the_size_cap_is_refused(client, east, programme_officer, settings):
    settings.UPLOAD_DOCUMENT_MAX_BYTES = 1024 * 1024
    oversize = SimpleUploadedFile("katalog.pdf", PDF + b"0" * (1024 * 1024))
    sign_in_verified(client, programme_officer)

    assert refused(client, east, "file", file=oversize) == ["The file is larger than 1 MB."]
    assert not DesignDeliverable.objects.exists()
    assert not any("deliverables" in str(path) for path in stored_files(settings))


def test_a_deliverable_for_a_financing_item_is_refused(client, two_provinces, programme_officer):
    from desadevisa.support.tests.factories import SupportItemFactory

    financing = SupportItemFactory(designation=two_provinces.jawa_timur.designation)
    sign_in_verified(client, programme_officer)

    response = client.post(add_page(financing), deliverable_values())

    assert response.status_code == 400
    assert response.context["deliverable_form"].non_field_errors() == [
        "Only a product design item has deliverables."
    ]
    assert not DesignDeliverable.objects.exists()


@pytest.mark.parametrize("person", ["provincial_officer", "organisation_manager"])
def test_a_reader_who_may_not_edit_gets_403_and_nothing_is_written(client, request, east, person):
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.post(add_page(east), deliverable_values())

    assert response.status_code == 403
    assert not DesignDeliverable.objects.exists()


def test_adding_to_an_item_of_another_province_answers_404(client, central, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.post(add_page(central), deliverable_values())

    assert response.status_code == 404
    assert not DesignDeliverable.objects.exists()


def test_the_deliverable_form_answers_405_to_a_get(client, east, programme_officer):
    sign_in_verified(client, programme_officer)

    assert client.get(add_page(east)).status_code == 405


# Downloads ------------------------------------------------------------------------------------


def test_a_reader_downloads_the_file_as_an_attachment(client, east, organisation_manager):
    deliverable = with_file(east)
    sign_in_verified(client, organisation_manager)

    response = client.get(file_page(deliverable))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="gambar-kerja-kursi.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_the_download_name_is_safe_whatever_the_title(client, east, programme_officer):
    deliverable = with_file(east, title='../../a"\r\nX-Injected: y.pdf')
    sign_in_verified(client, programme_officer)

    response = client.get(file_page(deliverable))

    disposition = response["Content-Disposition"]
    assert response.status_code == 200
    assert disposition == 'attachment; filename="a-x-injected-ypdf.pdf"'
    assert "X-Injected" not in response


def test_a_title_with_nothing_to_keep_gets_a_plain_download_name(client, east, programme_officer):
    deliverable = with_file(east, title="..")
    sign_in_verified(client, programme_officer)

    response = client.get(file_page(deliverable))

    assert response["Content-Disposition"] == (
        f'attachment; filename="deliverable-{deliverable.pk}.pdf"'
    )


def test_a_deliverable_of_another_province_answers_404_and_is_recorded(
    client, central, provincial_officer
):
    deliverable = with_file(central)
    sign_in_verified(client, provincial_officer)
    before = AuditEvent.objects.count()

    response = client.get(file_page(deliverable))

    assert response.status_code == 404
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("pk").action == AuditAction.ACCESS_DENIED


def test_a_verifier_may_not_download_a_deliverable(client, east, verifier):
    sign_in_verified(client, verifier)

    assert client.get(file_page(with_file(east))).status_code == 404


def test_a_deliverable_under_another_item_answers_404(client, east, programme_officer):
    deliverable = with_file(east)
    other = DesignItemFactory(designation=east.designation)
    sign_in_verified(client, programme_officer)

    response = client.get(item_page(other, f"deliverables/{deliverable.pk}/file/"))

    assert response.status_code == 404


def test_a_deliverable_without_a_file_answers_404(client, east, programme_officer):
    deliverable = DesignDeliverableFactory(item=east)
    sign_in_verified(client, programme_officer)

    assert client.get(file_page(deliverable)).status_code == 404


def test_a_file_gone_from_the_storage_answers_404(client, east, programme_officer):
    deliverable = with_file(east)
    deliverable.file.storage.delete(deliverable.file.name)
    sign_in_verified(client, programme_officer)

    assert client.get(file_page(deliverable)).status_code == 404


def test_the_download_answers_405_to_a_post(client, east, programme_officer):
    sign_in_verified(client, programme_officer)

    assert client.post(file_page(with_file(east))).status_code == 405


def test_the_anonymous_are_sent_to_sign_in_from_a_download(client, east):
    response = client.get(file_page(with_file(east)))

    assert response.status_code == 302


# Deleting -------------------------------------------------------------------------------------


def test_a_programme_officer_deletes_a_deliverable_and_its_file(
    client, east, programme_officer, django_capture_on_commit_callbacks
):
    deliverable = with_file(east)
    storage, name = deliverable.file.storage, deliverable.file.name
    sign_in_verified(client, programme_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_page(deliverable))

    assert response.status_code == 302
    assert response["Location"] == item_page(east)
    assert not DesignDeliverable.objects.exists()
    assert not storage.exists(name)
    assert AuditEvent.objects.filter(action=AuditAction.DELETED).count() == 1


def test_a_deliverable_already_deleted_answers_404(client, east, programme_officer):
    deliverable = with_file(east)
    path = delete_page(deliverable)
    deliverable.delete()
    sign_in_verified(client, programme_officer)

    assert client.post(path).status_code == 404


@pytest.mark.parametrize("person", ["provincial_officer", "organisation_manager"])
def test_a_reader_who_may_not_edit_may_not_delete_a_deliverable(client, request, east, person):
    deliverable = with_file(east)
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.post(delete_page(deliverable))

    assert response.status_code == 403
    assert DesignDeliverable.objects.filter(pk=deliverable.pk).exists()


def test_deleting_a_deliverable_of_another_province_answers_404(
    client, central, provincial_officer
):
    deliverable = with_file(central)
    sign_in_verified(client, provincial_officer)

    response = client.post(delete_page(deliverable))

    assert response.status_code == 404
    assert DesignDeliverable.objects.filter(pk=deliverable.pk).exists()


def test_deleting_a_deliverable_answers_405_to_a_get(client, east, programme_officer):
    deliverable = with_file(east)
    sign_in_verified(client, programme_officer)

    assert client.get(delete_page(deliverable)).status_code == 405
    assert DesignDeliverable.objects.exists()
