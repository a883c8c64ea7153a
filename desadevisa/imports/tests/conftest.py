import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Imported files are stored under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
