"""What a list page exports, the import takes back without a change: the round trip through the
real pages, as a person downloads a list, and uploads it again."""

import csv
import io

import pytest

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.imports.importers.base import OUT_OF_SCOPE
from desadevisa.imports.models import ImportJob, ImportKind, ImportStatus
from desadevisa.imports.tests.helpers import checksums, post_file

LISTS = {
    ImportKind.CRAFT_UNITS: "/{language}/registry/craft-units/",
    ImportKind.MEMBERSHIPS: "/{language}/registry/memberships/",
    ImportKind.PRODUCTS: "/{language}/catalog/products/",
    ImportKind.EXPORT_SHIPMENTS: "/{language}/exports/shipments/",
}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("kind", list(LISTS))
@pytest.mark.parametrize("role", ["administrator", "provincial_officer", "organisation_manager"])
def test_a_downloaded_list_imports_back_without_a_change(
    request, client, two_provinces, role, kind, language, file_format
):
    """Also for the scoped roles, whose lists show records they read but may not change (a
    former member unit, its membership): those rows import back as unchanged."""
    if role == "provincial_officer" and kind in {ImportKind.PRODUCTS, ImportKind.EXPORT_SHIPMENTS}:
        pytest.skip("provincial officers read products and shipments but import neither")
    sign_in_verified(client, request.getfixturevalue(role))
    download = client.get(LISTS[kind].format(language=language), {"export": file_format})
    content = b"".join(download.streaming_content) if download.streaming else download.content
    before = checksums()

    post_file(client, kind, content, f"download.{file_format}")

    job = ImportJob.objects.get()
    assert job.error_count == 0, job.errors
    assert (job.status, job.to_create, job.to_update) == (ImportStatus.READY, 0, 0)
    assert job.unchanged == job.total_rows > 0
    assert checksums() == before


def test_a_change_to_a_record_the_person_reads_but_may_not_change_is_refused(
    client, organisation_manager, two_provinces
):
    former = two_provinces.jawa_timur.former_unit
    sign_in_verified(client, organisation_manager)
    download = client.get(LISTS[ImportKind.CRAFT_UNITS].format(language="en"), {"export": "csv"})
    content = b"".join(download.streaming_content) if download.streaming else download.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    capacity = next(i for i, name in enumerate(rows[0]) if "capacity" in name.lower())
    number, row = next((n, row) for n, row in enumerate(rows) if former.name in row)
    row[capacity] = str(int(row[capacity] or 0) + 1)
    changed = io.StringIO()
    csv.writer(changed).writerows(rows)
    before = checksums()

    post_file(client, ImportKind.CRAFT_UNITS, changed.getvalue().encode(), "changed.csv")

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert [(error["row"], error["message"]) for error in job.errors] == [
        (number + 1, str(OUT_OF_SCOPE))
    ]
    assert checksums() == before
