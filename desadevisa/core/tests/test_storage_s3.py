"""Uploads in a real S3-protocol bucket: stored privately, served only by the scoped views,
and never half-written when the bucket fails."""

import io

import pytest
from PIL import Image

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.catalog.models import ProductPhoto
from desadevisa.core.tests.files import picture_upload

UNAVAILABLE = (
    "Files cannot be stored or read right now, so nothing was saved. Please try again in a few "
    "minutes."
)


@pytest.fixture
def provinces(s3_bucket, two_provinces):
    """The scope-test provinces, their photos already stored in the bucket."""
    return two_provinces


def photos_url(product) -> str:
    return f"/en/catalog/products/{product.pk}/photos/"


def bucket_keys(s3_server, bucket) -> set[str]:
    listing = s3_server.client().list_objects_v2(Bucket=bucket)
    return {entry["Key"] for entry in listing.get("Contents", ())}


def test_an_uploaded_photo_lands_in_the_bucket_and_the_scoped_view_serves_it(
    client, provinces, s3_server, s3_bucket
):
    records = provinces.jawa_timur
    sign_in_verified(client, records.manager)

    client.post(photos_url(records.product), {"photos": [picture_upload()]})

    photo = records.product.photos.latest("pk")
    stored = s3_server.client().get_object(Bucket=s3_bucket, Key=photo.full.name)
    body = stored["Body"].read()
    with Image.open(io.BytesIO(body)) as picture:
        assert picture.format == "JPEG"
    served = client.get(f"/en/catalog/photos/{photo.pk}/file/full/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == body
    assert served["Content-Type"] == "image/jpeg"
    assert served["Content-Length"] == str(len(body))
    assert served["Cache-Control"] == "private, no-cache"


def test_stored_objects_are_private(provinces, s3_server, s3_bucket):
    photo = provinces.jawa_timur.photo

    grants = s3_server.client().get_object_acl(Bucket=s3_bucket, Key=photo.full.name)["Grants"]

    assert [grant["Grantee"].get("URI") for grant in grants] == [None]


def test_another_provinces_photo_answers_404_from_the_bucket(client, provinces):
    sign_in_verified(client, provinces.jawa_timur.manager)
    other = provinces.jawa_tengah.photo

    response = client.get(f"/en/catalog/photos/{other.pk}/file/full/")

    assert response.status_code == 404


def test_a_public_products_photo_is_served_to_anyone_and_a_private_ones_is_not(client, provinces):
    photo = provinces.jawa_timur.photo
    photo.product.is_public = True
    photo.product.save()
    hidden = provinces.jawa_tengah.photo

    shown = client.get(f"/showcase/photos/product/{photo.pk}/card.jpg")
    refused = client.get(f"/showcase/photos/product/{hidden.pk}/card.jpg")

    assert (shown.status_code, shown["Cache-Control"]) == (200, "public, max-age=86400")
    assert b"".join(shown.streaming_content)[:3] == b"\xff\xd8\xff"
    assert refused.status_code == 404


def test_a_photo_whose_object_is_missing_answers_404(client, provinces, s3_server, s3_bucket):
    records = provinces.jawa_timur
    s3_server.client().delete_object(Bucket=s3_bucket, Key=records.photo.full.name)
    sign_in_verified(client, records.manager)

    response = client.get(f"/en/catalog/photos/{records.photo.pk}/file/full/")

    assert response.status_code == 404


def test_an_upload_while_the_bucket_is_down_writes_nothing_and_says_so(
    client, provinces, s3_server
):
    records = provinces.jawa_timur
    sign_in_verified(client, records.manager)
    before = ProductPhoto.objects.count()
    s3_server.stop()

    response = client.post(photos_url(records.product), {"photos": [picture_upload()]})

    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert UNAVAILABLE in response.text
    assert ProductPhoto.objects.count() == before


def test_an_upload_failing_halfway_leaves_no_row_and_no_object(
    client, provinces, s3_server, s3_bucket, monkeypatch
):
    from moto.s3.exceptions import S3ClientError
    from moto.s3.models import S3Backend

    records = provinces.jawa_timur
    sign_in_verified(client, records.manager)
    keys_before = bucket_keys(s3_server, s3_bucket)
    rows_before = ProductPhoto.objects.count()
    store = S3Backend.put_object
    accepted = []

    def first_object_only(self, *args, **kwargs):
        if accepted:
            raise S3ClientError("AccessDenied", "The bucket refused the write.")
        accepted.append(True)
        return store(self, *args, **kwargs)

    monkeypatch.setattr(S3Backend, "put_object", first_object_only)

    response = client.post(photos_url(records.product), {"photos": [picture_upload()]})
    monkeypatch.undo()

    assert accepted == [True]
    assert response.status_code == 503
    assert ProductPhoto.objects.count() == rows_before
    assert bucket_keys(s3_server, s3_bucket) == keys_before


def test_uploads_work_again_once_the_bucket_returns(client, provinces, s3_server):
    records = provinces.jawa_timur
    sign_in_verified(client, records.manager)
    s3_server.stop()
    client.post(photos_url(records.product), {"photos": [picture_upload()]})
    s3_server.start()

    response = client.post(photos_url(records.product), {"photos": [picture_upload()]})

    assert response.status_code == 302
    assert records.product.photos.count() == 2
