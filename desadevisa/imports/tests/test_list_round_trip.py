"""What a list page exports, the import takes back without a change: the round trip through the
real pages, as a person downloads a list, and uploads it again."""

import pytest

from desadevisa.accounts.tests.helpers import sign_in_verified
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
def test_a_downloaded_list_imports_back_without_a_change(
    client, administrator, two_provinces, kind, language, file_format
):
    sign_in_verified(client, administrator)
    download = client.get(LISTS[kind].format(language=language), {"export": file_format})
    content = b"".join(download.streaming_content) if download.streaming else download.content
    before = checksums()

    post_file(client, kind, content, f"download.{file_format}")

    job = ImportJob.objects.get()
    assert job.error_count == 0, job.errors
    assert (job.status, job.to_create, job.to_update) == (ImportStatus.READY, 0, 0)
    assert job.unchanged == job.total_rows > 0
    assert checksums() == before
