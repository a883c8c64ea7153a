"""Factories of verification visits, and the pictures their tests upload."""

from __future__ import annotations

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import ExifTags, Image

from desadevisa.core.tests.files import PhotoFactory
from desadevisa.nominations.models import NominationState
from desadevisa.nominations.tests.factories import NominationFactory
from desadevisa.verification.models import (
    CRITERIA,
    Aspect,
    AspectScore,
    CriterionFinding,
    Finding,
    ProductReview,
    Recommendation,
    Visit,
    VisitPhoto,
    VisitState,
)


class VisitFactory(DjangoModelFactory):
    """A planned visit of a nomination waiting for it; ``verifiers=[...]`` assigns people,
    ``submitted=True`` gives a submitted one."""

    class Meta:
        model = Visit
        skip_postgeneration_save = True

    nomination = factory.SubFactory(NominationFactory, state=NominationState.VISIT_SCHEDULED)
    planned_on = datetime.date(2022, 3, 10)

    class Params:
        submitted = factory.Trait(
            state=VisitState.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            recommendation=Recommendation.DESIGNATE,
        )

    @factory.post_generation
    def verifiers(self, create, extracted, **kwargs):
        if create and extracted:
            self.verifiers.set(extracted)


class CriterionFindingFactory(DjangoModelFactory):
    class Meta:
        model = CriterionFinding

    visit = factory.SubFactory(VisitFactory)
    criterion = 1
    finding = Finding.CONFIRMED
    note = "Diperiksa di lokasi."


class ProductReviewFactory(DjangoModelFactory):
    class Meta:
        model = ProductReview

    visit = factory.SubFactory(VisitFactory)
    sample_name = "Kendang djimbe 12 inci"
    quality_rating = 4
    notes = "Kulit kambing, rapi."


class AspectScoreFactory(DjangoModelFactory):
    class Meta:
        model = AspectScore

    visit = factory.SubFactory(VisitFactory)
    aspect = Aspect.PRODUCT
    score = 4


class VisitPhotoFactory(PhotoFactory):
    class Meta:
        model = VisitPhoto

    visit = factory.SubFactory(VisitFactory)


def complete_draft(**overrides) -> dict:
    """Draft data that makes a visit complete: every criterion, every aspect, one review and
    a recommendation (``visit_draft_save``'s ``data``)."""
    data = {
        "findings": {code: {"finding": Finding.CONFIRMED, "note": ""} for code in CRITERIA},
        "scores": {aspect.value: {"score": 4, "note": ""} for aspect in Aspect},
        "reviews": [{"sample_name": "Kendang djimbe", "quality_rating": 4, "notes": ""}],
        "overall_findings": "Produksi aktif di lima rumah.",
        "recommendation": Recommendation.DESIGNATE,
        "recommendation_note": "",
    }
    data.update(overrides)
    return data


def _rational(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    return float(degrees), float(minutes), round((minutes_full - minutes) * 60, 4)


def geotagged_jpeg(
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    taken: str | None = "2022:03:10 09:30:00",
    gps: dict | None = None,
) -> bytes:
    """A JPEG whose EXIF records a GPS position (when given) and the time it was taken;
    ``gps`` sets tags of the GPS directory as they are, malformed or not."""
    exif = Image.Exif()
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if latitude is not None and longitude is not None:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(
            {
                ExifTags.GPS.GPSLatitudeRef: "S" if latitude < 0 else "N",
                ExifTags.GPS.GPSLatitude: _rational(abs(latitude)),
                ExifTags.GPS.GPSLongitudeRef: "W" if longitude < 0 else "E",
                ExifTags.GPS.GPSLongitude: _rational(abs(longitude)),
            }
        )
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    output = io.BytesIO()
    Image.new("RGB", (64, 48), "brown").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def jpeg_upload(data: bytes, name: str = "kunjungan.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def corrupted_exif_jpeg() -> bytes:
    """A JPEG whose EXIF segment is damaged: the header is there, the directory is garbage."""
    output = io.BytesIO()
    Image.new("RGB", (64, 48), "brown").save(
        output, format="JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff\xde\xad\xbe\xef"
    )
    return output.getvalue()
