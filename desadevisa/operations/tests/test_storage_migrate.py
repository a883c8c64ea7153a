"""``desadevisa storage-migrate``: local uploads copied into the bucket, verified, once."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "products").mkdir(parents=True)
    (root / "products" / "a.jpg").write_bytes(b"\xff\xd8\xff first photo")
    (root / "evidence").mkdir()
    (root / "evidence" / "b.pdf").write_bytes(b"%PDF-1.4 evidence")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def migrate(**options) -> str:
    out = Terminal()
    call_command("storage_migrate", stdout=out, **options)
    return out.getvalue()


def test_local_files_are_copied_under_their_names_and_match_byte_for_byte(
    media, s3_server, s3_bucket
):
    output = migrate()

    client = s3_server.client()
    for name in ("products/a.jpg", "evidence/b.pdf"):
        body = client.get_object(Bucket=s3_bucket, Key=name)["Body"].read()
        assert hashlib.sha256(body).digest() == hashlib.sha256((media / name).read_bytes()).digest()
    assert "[##############################] 2 / 2" in output
    assert output.splitlines()[-1] == (
        "2 files: 2 copied (32\xa0bytes), 0 already there, 0 failed verification."
    )


def test_a_second_run_copies_nothing(media, s3_bucket):
    migrate()

    output = migrate()

    assert output.splitlines()[-1] == (
        "2 files: 0 copied (0\xa0bytes), 2 already there, 0 failed verification."
    )


def test_a_file_that_differs_in_the_bucket_is_replaced(media, s3_server, s3_bucket):
    s3_server.client().put_object(Bucket=s3_bucket, Key="products/a.jpg", Body=b"half a file")

    output = migrate()

    body = s3_server.client().get_object(Bucket=s3_bucket, Key="products/a.jpg")["Body"].read()
    assert body == (media / "products" / "a.jpg").read_bytes()
    assert "2 copied" in output.splitlines()[-1]


def test_an_unreachable_bucket_is_said_in_one_line(media, s3_server, s3_bucket):
    s3_server.stop()

    with pytest.raises(CommandError) as refused:
        migrate()

    assert str(refused.value).startswith(
        f"The bucket {s3_bucket} cannot be reached: Could not connect to the endpoint URL"
    )


def test_without_a_bucket_there_is_nothing_to_migrate(media):
    with pytest.raises(CommandError) as refused:
        migrate()

    assert str(refused.value) == (
        "No bucket is configured (S3_BUCKET): uploads are already stored on disk."
    )
