"""Uploaded photos and documents: checked by their content, never trusted by their name
(SECURITY UP-1, UP-2, UP-4), and served only through views that check the reader's scope (AC-7).

- ``image_process(upload)`` opens the file with Pillow whatever its name says, refuses what is
  not a JPEG, PNG or WebP picture, too large a file or too many pixels, and re-encodes it as
  JPEG renditions (thumbnail, card, full) without any metadata: what leaves the product is
  pixels only.
- ``document_check(upload)`` accepts PDF, JPEG and PNG by their first bytes, within the size cap.
- ``stored_name(folder, suffix)`` is the random name a file is stored under; the name the
  person gave stays, at most, a caption.
- ``file_response(file, download_name=...)`` sends a stored file as an attachment with
  ``nosniff``; ``image_response(request, file)`` sends a picture inline for an ``<img>``.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Longest side in pixels of each stored rendition of a photo.
RENDITION_SIZES = {"thumbnail": 320, "card": 800, "full": 1600}
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 85
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}
READ_CHUNK = 64 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


@dataclass(frozen=True)
class ProcessedImage:
    """A photo re-encoded as JPEG renditions, metadata stripped; sizes of the full rendition."""

    full: bytes
    card: bytes
    thumbnail: bytes
    width: int
    height: int


def image_process(upload: UploadedFile) -> ProcessedImage:
    """The renditions of an uploaded photo, or ValidationError with a message for the person
    who sent it.

    Refuses: files over ``UPLOAD_IMAGE_MAX_BYTES``, anything Pillow does not recognise as a
    JPEG, PNG or WebP image whatever its name (an SVG, a PDF or HTML renamed ``.jpg``), images
    over ``UPLOAD_IMAGE_MAX_PIXELS`` (decompression bombs) and damaged images.
    """
    _check_size(upload, settings.UPLOAD_IMAGE_MAX_BYTES)
    upload.seek(0)
    data = upload.read()
    not_a_photo = ValidationError(
        _("This file is not a photo. Upload a JPEG, PNG or WebP picture."), code="not_an_image"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_FORMATS:
                    raise not_a_photo
                width, height = probe.size
                if width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
                    raise _too_many_pixels()
                probe.verify()
            with Image.open(io.BytesIO(data)) as picture:
                picture.load()
                # Turn the pixels the way the camera said, then forget everything it said.
                upright = ImageOps.exif_transpose(picture)
                pixels = _flattened(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_a_photo from None
    renditions = {}
    for name, longest in RENDITION_SIZES.items():
        copy = pixels.copy()
        copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        copy.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        renditions[name] = (output.getvalue(), copy.size)
    full_width, full_height = renditions["full"][1]
    return ProcessedImage(
        full=renditions["full"][0],
        card=renditions["card"][0],
        thumbnail=renditions["thumbnail"][0],
        width=full_width,
        height=full_height,
    )


def document_check(upload: UploadedFile) -> str:
    """The stored file suffix (``pdf``, ``jpg`` or ``png``) of an evidence document, or
    ValidationError: only PDF, JPEG and PNG by their content, within
    ``UPLOAD_DOCUMENT_MAX_BYTES``."""
    _check_size(upload, settings.UPLOAD_DOCUMENT_MAX_BYTES)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, (suffix, _content_type) in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return suffix
    raise ValidationError(
        _("Evidence must be a PDF document or a JPEG or PNG picture."), code="invalid_document"
    )


def stored_name(folder: str, suffix: str) -> str:
    """A new random path for a stored file: ``<folder>/<32 hex digits>.<suffix>``."""
    return f"{folder}/{secrets.token_hex(16)}.{suffix}"


def file_response(file: FieldFile, *, download_name: str) -> FileResponse:
    """A stored file as a download: ``attachment`` with a safe file name, ``nosniff``, private."""
    suffix = Path(file.name).suffix
    safe = get_valid_filename(Path(download_name).stem) or "document"
    response = FileResponse(file.open("rb"), as_attachment=True, filename=f"{safe}{suffix}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def image_response(request: HttpRequest, file: FieldFile, *, public: bool) -> HttpResponse:
    """A stored JPEG rendition for an ``<img>``: inline, ``nosniff``, with an ETag.

    Public renditions are cached for a day by browsers and shared caches (their path changes
    when the photo does). A private one is kept by the browser only to be revalidated on every
    use: the request then passes the view's scope check again, so a signed-out browser cannot
    show it from its cache, and an unchanged file answers 304 without its bytes.
    """
    etag = f'"{hashlib.sha256(file.name.encode()).hexdigest()[:32]}"'
    # Checked before the file is opened: a 304 reads nothing from storage.
    response = get_conditional_response(request, etag=etag) or FileResponse(
        file.open("rb"), content_type="image/jpeg"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-cache"
    response["ETag"] = etag
    return response


def _check_size(upload: UploadedFile, limit: int) -> None:
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": _megabytes(limit)},
            code="too_large",
        )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The picture has too many pixels. Upload one of at most %(limit)s megapixels.")
        % {"limit": settings.UPLOAD_IMAGE_MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _flattened(picture: Image.Image) -> Image.Image:
    """RGB pixels only: transparency laid on white, palettes and CMYK converted."""
    if picture.mode in {"RGBA", "LA"} or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return picture.convert("RGB")
