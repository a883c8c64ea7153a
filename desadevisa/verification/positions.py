"""Where and when a visit photo was taken, from its EXIF, and how far that is from the village.

The EXIF is read from the upload as sent, before ``core.uploads.image_process`` re-encodes the
picture without metadata. A photo without EXIF, without a GPS position, or with EXIF that
cannot be read is kept with no position: the page says so, it is not refused.
"""

from __future__ import annotations

import datetime
import io
import math
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

EARTH_RADIUS_KM = 6371.0088
EXIF_TIME_FORMAT = "%Y:%m:%d %H:%M:%S"
SIX_PLACES = Decimal("0.000001")
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class PhotoMetadata:
    """What the camera recorded; each part None when absent or unreadable."""

    latitude: Decimal | None = None
    longitude: Decimal | None = None
    taken_at: datetime.datetime | None = None


def photo_metadata(upload: UploadedFile) -> PhotoMetadata:
    """The GPS position and time recorded in ``upload``'s EXIF; empty parts when there are
    none or they cannot be read. Never raises for a damaged file (``image_process`` judges it)."""
    try:
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        with warnings.catch_warnings(), Image.open(io.BytesIO(data)) as picture:
            # Pillow warns about damaged EXIF; damage here only means "no position".
            warnings.simplefilter("ignore")
            exif = picture.getexif()
            gps = dict(exif.get_ifd(ExifTags.IFD.GPSInfo))
            details = dict(exif.get_ifd(ExifTags.IFD.Exif))
            stamp = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    # Any damage in the metadata leaves the photo unplaced.
    except Exception:
        return PhotoMetadata()
    latitude, longitude = _position(gps)
    return PhotoMetadata(latitude=latitude, longitude=longitude, taken_at=_time(stamp))


def _position(gps: dict) -> tuple[Decimal | None, Decimal | None]:
    try:
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef))
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, ArithmeticError):
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return (
        Decimal(repr(latitude)).quantize(SIX_PLACES, ROUND_HALF_UP),
        Decimal(repr(longitude)).quantize(SIX_PLACES, ROUND_HALF_UP),
    )


def _degrees(parts, reference) -> float:
    degrees, minutes, seconds = (float(part) for part in parts)
    value = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(value):
        raise ValueError(value)
    if isinstance(reference, bytes):
        reference = reference.decode("ascii", "replace")
    if str(reference or "").strip().upper() in {"S", "W"}:
        value = -value
    return value


def _time(stamp) -> datetime.datetime | None:
    if isinstance(stamp, bytes):
        stamp = stamp.decode("ascii", "replace")
    if not isinstance(stamp, str):
        return None
    try:
        naive = datetime.datetime.strptime(stamp.strip("\x00 "), EXIF_TIME_FORMAT)  # noqa: DTZ007
    except ValueError:
        return None
    # EXIF keeps the camera's local time without its offset: read as the site's time zone.
    return timezone.make_aware(naive)


def distance_km(
    from_latitude: Decimal, from_longitude: Decimal, to_latitude: Decimal, to_longitude: Decimal
) -> Decimal:
    """The great-circle distance between two positions, in km to two places (haversine)."""
    lat1, lon1, lat2, lon2 = (
        math.radians(float(value))
        for value in (from_latitude, from_longitude, to_latitude, to_longitude)
    )
    half = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    kilometres = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(half)))
    return Decimal(repr(kilometres)).quantize(TWO_PLACES, ROUND_HALF_UP)


def village_location(village) -> tuple[Decimal, Decimal] | None:
    """The village's recorded location: its profile's when set, else the official centroid;
    None when neither is known."""
    try:
        profile = village.profile
    except ObjectDoesNotExist:
        profile = None
    if profile is not None and profile.latitude is not None and profile.longitude is not None:
        return profile.latitude, profile.longitude
    if village.latitude is not None and village.longitude is not None:
        return village.latitude, village.longitude
    return None
