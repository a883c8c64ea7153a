"""Where and when a visit photo was taken, from its EXIF, and how far that is from the village.

The EXIF is read from the upload as sent, before ``core.uploads.image_process`` re-encodes the
picture without metadata. A photo without EXIF, without a GPS position, or with EXIF that
cannot be read is kept with no position: the page says so, it is not refused. The same holds
for each datum that is malformed or absurd: a date before ``EARLIEST_TAKEN`` or after
tomorrow, a month 13, degrees, minutes or seconds out of range, NaN or infinite rationals,
zero denominators, a hemisphere other than N, S, E or W.
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
# A visit photo dated before this comes from a camera whose clock was reset, not from a visit.
EARLIEST_TAKEN = datetime.datetime(2000, 1, 1)  # noqa: DTZ001 (a naive EXIF time is compared)
# A camera clock a day ahead is still a clock; more is not a time the photo was taken.
CLOCK_AHEAD = datetime.timedelta(days=1)
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
    """The position in ``gps``, or (None, None) when either coordinate is missing or absurd."""
    try:
        latitude = _degrees(
            gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef), 90, "NS"
        )
        longitude = _degrees(
            gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef), 180, "EW"
        )
    # Pillow hands over whatever the file holds: any malformed value means "no position".
    except Exception:
        return None, None
    return (
        Decimal(repr(latitude)).quantize(SIX_PLACES, ROUND_HALF_UP),
        Decimal(repr(longitude)).quantize(SIX_PLACES, ROUND_HALF_UP),
    )


def _degrees(parts, reference, limit: int, hemispheres: str) -> float:
    """Signed degrees from EXIF's (degrees, minutes, seconds) and hemisphere letter;
    ValueError for anything that is not such a triple within ``limit`` degrees."""
    degrees, minutes, seconds = (_finite(part) for part in parts)
    if not (0 <= degrees <= limit and 0 <= minutes < 60 and 0 <= seconds < 60):
        raise ValueError(parts)
    value = degrees + minutes / 60 + seconds / 3600
    if value > limit:
        raise ValueError(parts)
    if isinstance(reference, bytes):
        reference = reference.decode("ascii", "replace")
    letter = str(reference or hemispheres[0]).strip("\x00 ").upper()
    if letter not in hemispheres:
        raise ValueError(reference)
    return -value if letter == hemispheres[1] else value


def _finite(part) -> float:
    """A number of an EXIF rational; ValueError for text, NaN, infinity or a zero denominator."""
    if isinstance(part, str | bytes | bool):
        raise ValueError(part)
    value = float(part)
    if not math.isfinite(value):
        raise ValueError(part)
    return value


def _time(stamp) -> datetime.datetime | None:
    """The time of an EXIF date stamp, read in the site's time zone; None when it is not a
    real date between ``EARLIEST_TAKEN`` and tomorrow."""
    if isinstance(stamp, bytes):
        stamp = stamp.decode("ascii", "replace")
    if not isinstance(stamp, str):
        return None
    try:
        naive = datetime.datetime.strptime(stamp.strip("\x00 "), EXIF_TIME_FORMAT)  # noqa: DTZ007
    except ValueError:
        return None
    latest = timezone.localtime() + CLOCK_AHEAD
    if not (EARLIEST_TAKEN <= naive <= latest.replace(tzinfo=None)):
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
