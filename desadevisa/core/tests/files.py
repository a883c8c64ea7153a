"""Files for tests: real pictures and documents made in memory, and a base factory for photos."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import Image, ImageCms, PngImagePlugin
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from desadevisa.core.uploads import image_process


def pdf_bytes(change: Callable[[PdfWriter], None] | None = None) -> bytes:
    """A PDF of one empty page written by pypdf; ``change`` alters the writer first."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if change is not None:
        change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def with_javascript(writer: PdfWriter) -> None:
    writer.add_open_action(JavaScript("app.alert('x')"))


def with_launch_action(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )


def with_attachment(writer: PdfWriter) -> None:
    writer.add_attachment("payload.exe", b"MZ not a real program")


def with_password(writer: PdfWriter) -> None:
    writer.encrypt(user_password="", owner_password="owner")


# The smallest valid PDF a reader opens: one empty page.
MINIMAL_PDF = pdf_bytes()


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


# What a person's picture may carry besides its pixels: none of it may reach a stored file.
SECRET = "Budi Santoso, 0812 3456 7890"
SCRIPT = b"<script>alert(1)</script>"
# JPEG segments that hold pixels or how to decode them; every other one is metadata.
JPEG_PIXEL_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC4, 0xDA, 0xDB, 0xDD, 0xE0})
PNG_PIXEL_CHUNKS = frozenset({b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"})


def camera_exif() -> bytes:
    """EXIF with the artist, a GPS position and a date, as a phone records them."""
    exif = Image.Exif()
    exif[0x013B] = SECRET
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8825).update({1: "S", 2: (7.0, 59.0, 0.0), 3: "E", 4: (112.0, 30.0, 0.0)})
    return exif.tobytes()


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def xmp_packet() -> bytes:
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><dc:creator>'
        + SECRET.encode()
        + b"</dc:creator></rdf:RDF></x:xmpmeta>"
    )


def tainted_jpeg(*, width: int = 64, height: int = 48) -> bytes:
    """A JPEG with a COM comment holding a script and a name, EXIF, XMP, an ICC profile and a
    script appended after its end."""
    output = io.BytesIO()
    Image.new("RGB", (width, height), "brown").save(
        output,
        format="JPEG",
        comment=SCRIPT + b" " + SECRET.encode(),
        exif=camera_exif(),
        xmp=xmp_packet(),
        icc_profile=srgb_profile(),
    )
    return output.getvalue() + b"<html>" + SCRIPT + b"</html>"


def tainted_png(*, width: int = 64, height: int = 48) -> bytes:
    """A PNG with tEXt (under the key Pillow's JPEG encoder reads), iTXt and zTXt chunks, EXIF,
    an ICC profile and HTML appended after its end."""
    text = PngImagePlugin.PngInfo()
    text.add_text("comment", SCRIPT.decode() + " " + SECRET)
    text.add_itxt("Author", SECRET, lang="id")
    text.add_text("Description", SCRIPT.decode(), zip=True)
    output = io.BytesIO()
    Image.new("RGB", (width, height), "brown").save(
        output, format="PNG", pnginfo=text, exif=camera_exif(), icc_profile=srgb_profile()
    )
    return output.getvalue() + b"<html>" + SCRIPT + b"</html>"


def metadata_left(data: bytes) -> list[str]:
    """What a stored picture carries besides its pixels: traces of the secret or the script,
    and every JPEG segment or PNG chunk that is not pixels; empty when it is pixels only."""
    found = [trace for trace in (SCRIPT, b"<script", SECRET.encode(), b"Budi") if trace in data]
    if data.startswith(b"\xff\xd8"):
        position = 2
        while position < len(data) and data[position] == 0xFF:
            marker = data[position + 1]
            length = int.from_bytes(data[position + 2 : position + 4], "big")
            if marker not in JPEG_PIXEL_MARKERS:
                found.append(f"JPEG segment {marker:#x}")
            if marker == 0xDA:
                break
            position += 2 + length
        if not data.rstrip(b"\0").endswith(b"\xff\xd9"):
            found.append("bytes after the JPEG's end")
    elif data.startswith(b"\x89PNG"):
        position = 8
        while position < len(data):
            length = int.from_bytes(data[position : position + 4], "big")
            kind = data[position + 4 : position + 8]
            if kind not in PNG_PIXEL_CHUNKS:
                found.append(f"PNG chunk {kind.decode('latin-1')}")
            position += 12 + length
            if kind == b"IEND":
                break
        if position != len(data):
            found.append("bytes after the PNG's end")
    return found


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels, with almost no data: a
    decompression bomb as far as the pixel cap is concerned, a few dozen bytes on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    """A JPEG cut off in the middle of its pixels, as an interrupted upload leaves it."""
    output = io.BytesIO()
    Image.effect_noise((256, 256), 64).convert("RGB").save(output, format="JPEG")
    data = output.getvalue()
    return data[: len(data) // 2]
