"""Files for tests: real pictures and documents made in memory, and a base factory for photos."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import Image

from desadevisa.core.uploads import image_process

# The smallest valid PDF a reader opens: one empty page.
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def picture_bytes(
    *, width: int = 64, height: int = 48, image_format: str = "JPEG", color: str = "brown", **save
) -> bytes:
    """An encoded picture; extra keywords go to Pillow's ``save`` (such as ``exif=``)."""
    output = io.BytesIO()
    mode = "RGBA" if image_format == "PNG" else "RGB"
    Image.new(mode, (width, height), color).save(output, format=image_format, **save)
    return output.getvalue()


def picture_upload(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    """An uploaded picture as a browser would send it; keywords as ``picture_bytes``."""
    return SimpleUploadedFile(name, picture_bytes(**kwargs), content_type="image/jpeg")


def pdf_upload(name: str = "peb.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


class PhotoFactory(DjangoModelFactory):
    """Base for factories of ``core.models.Photo`` models: stores real renditions of a small
    picture, as an upload would."""

    class Meta:
        abstract = True

    caption = "Photo"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        photo = model_class(*args, **kwargs)
        photo.set_image(image_process(picture_upload()))
        photo.save()
        return photo
