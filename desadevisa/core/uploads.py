"""Uploaded photos and documents: checked by their content, never trusted by their name
(SECURITY UP-1, UP-2, UP-4), and served only through views that check the reader's scope (AC-7).

- ``image_process(upload)`` opens the file with Pillow whatever its name says, refuses what is
  not a JPEG, PNG or WebP picture, a damaged one, too large a file or too many pixels, and
  re-encodes it as JPEG renditions (thumbnail, card, full): what leaves the product is pixels
  only.
- ``document_process(upload, kinds=...)`` accepts a PDF, JPEG, PNG (or WebP) document by its
  content, under a name that does not claim another kind: a picture is re-encoded the same way,
  at its own size and format; a PDF must open with pypdf, unencrypted, without JavaScript,
  embedded files or launch actions, and is kept as sent.
- ``stored_name(folder, suffix)`` is the random name a file is stored under; the name the
  person gave stays, at most, a caption.
- ``file_response(file, download_name=...)`` sends a stored file as an attachment with
  ``nosniff``; ``image_response(request, file)`` sends a picture inline for an ``<img>``. Both
  stream the file from the storage (disk or bucket) in chunks, with its length, and answer 404
  when the stored file is missing.

Every picture is decoded by ``_picture_read``, the one place that enforces the pixel cap
(``UPLOAD_IMAGE_MAX_PIXELS``), refuses damaged files and rebuilds the pixels without metadata.
"""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.functional import Promise
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from desadevisa.core.storage import stored_file_open

# Longest side in pixels of each stored rendition of a photo.
RENDITION_SIZES = {"thumbnail": 320, "card": 800, "full": 1600}
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 85
# A document picture is kept at its own size, so it is encoded finer than a photo.
DOCUMENT_QUALITY = 90
# A PDF with more objects than this is not an export declaration or a design sheet.
PDF_MAX_OBJECTS = 100_000
# Keys and action types of a PDF that run code, start programs or carry files.
PDF_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMedia"})
PDF_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"})
PDF_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia"})


@dataclass(frozen=True)
class FileKind:
    """What an accepted file is: the suffix it is stored under, its name for people, the
    extensions a person's file of that kind may end in and its Pillow format (pictures)."""

    suffix: str
    label: Promise
    extensions: frozenset[str]
    picture_format: str = ""


FILE_KINDS = {
    kind.suffix: kind
    for kind in (
        FileKind("pdf", _("PDF document"), frozenset({"pdf"})),
        FileKind("jpg", _("JPEG picture"), frozenset({"jpg", "jpeg", "jpe", "jfif"}), "JPEG"),
        FileKind("png", _("PNG picture"), frozenset({"png"}), "PNG"),
        FileKind("webp", _("WebP picture"), frozenset({"webp"}), "WEBP"),
    )
}
PICTURE_KINDS = {kind.picture_format: kind for kind in FILE_KINDS.values() if kind.picture_format}
# Every photo is re-encoded as JPEG, so any picture's extension suits any picture.
PICTURE_EXTENSIONS = frozenset().union(*(kind.extensions for kind in PICTURE_KINDS.values()))
EVIDENCE_KINDS = ("pdf", "jpg", "png")
EVIDENCE_REFUSAL = _("Evidence must be a PDF document or a JPEG or PNG picture.")

logger = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class CheckedDocument:
    """An accepted document: the bytes to store (a picture re-encoded, a PDF as sent) and the
    suffix of its kind."""

    content: bytes
    suffix: str

    def as_file(self) -> ContentFile:
        """The content as a file for ``Storage.save``."""
        return ContentFile(self.content)


def image_process(upload: UploadedFile) -> ProcessedImage:
    """The renditions of an uploaded photo, or ValidationError with a message for the person
    who sent it.

    Refuses: files over ``UPLOAD_IMAGE_MAX_BYTES``, anything Pillow does not recognise as a
    JPEG, PNG or WebP image whatever its name (an SVG, a PDF or HTML renamed ``.jpg``), a
    picture under the name of another kind of file (``.pdf``, ``.gif``), images over
    ``UPLOAD_IMAGE_MAX_PIXELS`` (decompression bombs) and damaged images.
    """
    _check_size(upload, settings.UPLOAD_IMAGE_MAX_BYTES)
    not_a_photo = ValidationError(
        _("This file is not a photo. Upload a JPEG, PNG or WebP picture."), code="not_an_image"
    )
    picture_format, pixels = _picture_read(_content(upload), IMAGE_FORMATS, damaged=not_a_photo)
    _name_check(upload, PICTURE_KINDS[picture_format], PICTURE_EXTENSIONS)
    renditions = {}
    for name, longest in RENDITION_SIZES.items():
        copy = pixels.copy()
        copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
        renditions[name] = (_encoded(copy, "JPEG", JPEG_QUALITY), copy.size)
    full_width, full_height = renditions["full"][1]
    return ProcessedImage(
        full=renditions["full"][0],
        card=renditions["card"][0],
        thumbnail=renditions["thumbnail"][0],
        width=full_width,
        height=full_height,
    )


def document_process(
    upload: UploadedFile,
    *,
    kinds: Iterable[str] = EVIDENCE_KINDS,
    refusal: Promise | str = EVIDENCE_REFUSAL,
) -> CheckedDocument:
    """The content to store for an uploaded document of one of ``kinds`` (suffixes of
    ``FILE_KINDS``), or ValidationError with a message for the person who sent it.

    Refuses: an empty file or one over ``UPLOAD_DOCUMENT_MAX_BYTES``; anything that is not one
    of ``kinds`` by its content (``refusal``); a file whose name claims another kind than its
    content; a damaged picture or one over ``UPLOAD_IMAGE_MAX_PIXELS``; a PDF that cannot be
    read, is encrypted, or holds JavaScript, embedded files or launch actions. A picture is
    re-encoded in its own format and size without metadata.
    """
    _check_size(upload, settings.UPLOAD_DOCUMENT_MAX_BYTES)
    data = _content(upload)
    kind = _kind_sniffed(data[:16], kinds)
    if kind is None:
        raise ValidationError(refusal, code="invalid_document")
    _name_check(upload, kind, kind.extensions)
    damaged = ValidationError(
        _("The file is damaged or is not really a %(kind)s: upload the original file.")
        % {"kind": kind.label},
        code="damaged",
    )
    if kind.suffix == "pdf":
        _pdf_check(data, damaged=damaged)
        return CheckedDocument(content=data, suffix=kind.suffix)
    _format, pixels = _picture_read(data, {kind.picture_format}, damaged=damaged)
    return CheckedDocument(
        content=_encoded(pixels, kind.picture_format, DOCUMENT_QUALITY), suffix=kind.suffix
    )


def stored_name(folder: str, suffix: str) -> str:
    """A new random path for a stored file: ``<folder>/<32 hex digits>.<suffix>``."""
    return f"{folder}/{secrets.token_hex(16)}.{suffix}"


def file_response(file: FieldFile, *, download_name: str) -> FileResponse:
    """A stored file as a download: ``attachment`` with a safe file name, ``nosniff``, private."""
    suffix = Path(file.name).suffix
    safe = get_valid_filename(Path(download_name).stem) or "document"
    response = FileResponse(stored_file_open(file), as_attachment=True, filename=f"{safe}{suffix}")
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
        stored_file_open(file), content_type="image/jpeg"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-cache"
    response["ETag"] = etag
    return response


def _content(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _check_size(upload: UploadedFile, limit: int) -> None:
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": _megabytes(limit)},
            code="too_large",
        )


def _kind_sniffed(head: bytes, kinds: Iterable[str]) -> FileKind | None:
    """The kind among ``kinds`` that the first bytes of a file announce, if any."""
    signatures = {
        "pdf": head.startswith(b"%PDF-"),
        "jpg": head.startswith(b"\xff\xd8\xff"),
        "png": head.startswith(b"\x89PNG\r\n\x1a\n"),
        "webp": head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    }
    return next((FILE_KINDS[suffix] for suffix in kinds if signatures[suffix]), None)


def _name_check(upload: UploadedFile, kind: FileKind, extensions: frozenset[str]) -> None:
    """Refuse a file whose name ends in an extension outside ``extensions`` (a name without
    one says nothing)."""
    extension = Path(upload.name or "").suffix.lstrip(".").lower()
    if extension and extension not in extensions:
        raise ValidationError(
            _(
                "The file's name ends in “.%(extension)s” but it holds a %(kind)s: upload the "
                "file under a name that says what it is."
            )
            % {"extension": extension, "kind": kind.label},
            code="disguised",
        )


class _StrictDecoding:
    """Keeps ``PIL.ImageFile.LOAD_TRUNCATED_IMAGES`` off while any of our decoding runs.

    Another library may turn it on for the whole process (WeasyPrint does on import), and
    Pillow then pads a cut-off picture with grey instead of failing. The flag is restored when
    the last of our decodings ends, so that library keeps its own behaviour outside them.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._saved = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._running == 0:
                self._saved = ImageFile.LOAD_TRUNCATED_IMAGES
            self._running += 1
            ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                if self._running == 0:
                    ImageFile.LOAD_TRUNCATED_IMAGES = self._saved


_strict_decoding = _StrictDecoding()


def _picture_read(
    data: bytes, formats: set[str], *, damaged: ValidationError
) -> tuple[str, Image.Image]:
    """The format of the picture in ``data`` and its pixels, turned upright, in sRGB, laid on
    white and rebuilt from the pixels alone, so no EXIF, XMP, ICC profile, comment or text
    chunk can follow them into a saved file.

    ValidationError: ``damaged`` for anything that is not a whole picture of ``formats``, and
    the pixel cap's message for one over ``UPLOAD_IMAGE_MAX_PIXELS``.
    """
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if _format_of(probe) not in formats:
                    raise damaged
                width, height = probe.size
                if width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
                    raise _too_many_pixels()
                probe.verify()
            with Image.open(io.BytesIO(data)) as picture:
                picture.load()
                picture_format = _format_of(picture)
                upright = _upright(picture)
                pixels = _flattened(_in_srgb(upright, picture.info.get("icc_profile")))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise damaged from None
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    return picture_format, clean


def _format_of(picture: Image.Image) -> str:
    # A camera's multi-picture JPEG (MPO) is a JPEG whose first picture is the photo.
    return "JPEG" if picture.format == "MPO" else str(picture.format)


def _upright(picture: Image.Image) -> Image.Image:
    """The pixels turned the way the camera's EXIF says; as they are when it cannot be read."""
    try:
        return ImageOps.exif_transpose(picture)
    # Pillow raises many kinds on malformed EXIF; an unreadable orientation is no orientation.
    except Exception:
        return picture


def _in_srgb(picture: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """``picture`` converted from the colour space its ICC profile describes to sRGB, which
    browsers assume without a profile; as it is when there is no usable profile."""
    if not icc_profile or picture.mode not in {"RGB", "RGBA", "CMYK", "L"}:
        return picture
    try:
        return ImageCms.profileToProfile(
            picture,
            ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if picture.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A profile that cannot be applied is only a description: the pixels stay as sent.
        return picture


def _encoded(pixels: Image.Image, picture_format: str, quality: int) -> bytes:
    """``pixels`` saved in ``picture_format``; only the options given here reach the file."""
    output = io.BytesIO()
    if picture_format == "PNG":
        pixels.save(output, format="PNG", optimize=True)
    elif picture_format == "WEBP":
        pixels.save(output, format="WEBP", quality=quality)
    else:
        pixels.save(output, format="JPEG", quality=quality, optimize=True, progressive=True)
    return output.getvalue()


def _pdf_check(data: bytes, *, damaged: ValidationError) -> None:
    """Refuse a PDF pypdf cannot read or that has no page (``damaged``), one that is
    encrypted, and one holding JavaScript, embedded files or actions that start programs
    anywhere reachable from its trailer."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        if not encrypted and len(reader.pages) == 0:
            raise damaged
        active = not encrypted and _pdf_is_active(reader.trailer)
    except ValidationError:
        raise
    # pypdf raises many kinds of errors on a damaged file; any of them means "not readable".
    except Exception:
        logger.info("PDF refused: pypdf cannot read it", exc_info=True)
        raise damaged from None
    if encrypted:
        raise ValidationError(
            _("The PDF is protected with a password. Upload a copy without protection."),
            code="encrypted",
        )
    if active:
        raise ValidationError(
            _(
                "The PDF contains JavaScript, embedded files or actions that open programs. "
                "Save it again as a plain PDF (for example by printing it to PDF) and upload "
                "that."
            ),
            code="active_content",
        )


def _pdf_is_active(trailer: DictionaryObject) -> bool:
    """Whether any dictionary reachable from ``trailer`` runs code, launches a program or
    carries a file; walked without recursion, each indirect object once."""
    seen: set[tuple[int, int]] = set()
    pending: list[object] = [trailer]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > PDF_MAX_OBJECTS:
                raise ValueError("too many objects")
            pending.append(item.get_object())
        elif isinstance(item, DictionaryObject):
            if PDF_ACTIVE_KEYS.intersection(item.keys()):
                return True
            if _pdf_value(item, "/S") in PDF_ACTIVE_ACTIONS:
                return True
            if PDF_ACTIVE_TYPES.intersection(
                {_pdf_value(item, "/Type"), _pdf_value(item, "/Subtype")}
            ):
                return True
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def _pdf_value(dictionary: DictionaryObject, key: str) -> object:
    value = dictionary.get(key)
    return value.get_object() if isinstance(value, IndirectObject) else value


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
