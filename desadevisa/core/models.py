"""Base models shared by the domain apps."""

from __future__ import annotations

from typing import ClassVar

from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from desadevisa.core.uploads import RENDITION_SIZES, ProcessedImage, stored_name

PHOTO_RENDITIONS = ("thumbnail", "card", "full")


class DataOrigin(models.TextChoices):
    """Where a row came from; demonstration and generated rows are labelled wherever shown."""

    REAL = "real", _("Real data")
    DEMO = "demo", _("Demonstration data")
    GENERATED = "generated", _("Generated data")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class RecordModel(TimeStampedModel):
    """A domain record: time-stamped and labelled with its origin."""

    origin = models.CharField(
        _("origin"), max_length=10, choices=DataOrigin.choices, default=DataOrigin.REAL
    )

    class Meta:
        abstract = True

    @property
    def is_demo(self) -> bool:
        return self.origin == DataOrigin.DEMO

    @property
    def is_generated(self) -> bool:
        return self.origin == DataOrigin.GENERATED


def photo_upload_to(instance: Photo, filename: str) -> str:
    """A random path under the model's folder: names say nothing about the photo or its owner."""
    return stored_name(instance.photo_folder, "jpg")


class Photo(RecordModel):
    """A photo stored as three JPEG renditions without metadata (``core.uploads``), in order.

    Subclasses add the record it belongs to and set ``photo_folder``. Renditions are served by
    views that check the reader may see that record, never from a public path.
    """

    photo_folder: ClassVar[str] = "photos"

    full = models.FileField(_("photo"), upload_to=photo_upload_to, max_length=200)
    card = models.FileField(_("card rendition"), upload_to=photo_upload_to, max_length=200)
    thumbnail = models.FileField(
        _("thumbnail rendition"), upload_to=photo_upload_to, max_length=200
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def set_image(self, image: ProcessedImage) -> None:
        """Store the renditions of ``image`` (not yet saving the row).

        When storing one fails, the renditions already stored are deleted before the error
        goes on, so a failed upload leaves no file that no row names.
        """
        stored = []
        try:
            for name in PHOTO_RENDITIONS:
                rendition = getattr(self, name)
                rendition.save("photo.jpg", ContentFile(getattr(image, name)), save=False)
                stored.append(rendition)
        except BaseException:
            for rendition in stored:
                rendition.storage.delete(rendition.name)
            raise
        self.width, self.height = image.width, image.height

    set_image.alters_data = True

    def rendition(self, name: str) -> FieldFile:
        """The stored file of rendition ``name`` (thumbnail, card or full); KeyError otherwise."""
        if name not in PHOTO_RENDITIONS:
            raise KeyError(name)
        return getattr(self, name)

    def rendition_size(self, name: str) -> tuple[int, int]:
        """Width and height of a rendition, for the ``<img>`` tag, from the full size."""
        longest = RENDITION_SIZES[name]
        scale = min(1.0, longest / max(self.width, self.height, 1))
        return max(round(self.width * scale), 1), max(round(self.height * scale), 1)

    def stored_files(self) -> list[str]:
        """The storage names of the renditions, to delete once the row is gone."""
        return [getattr(self, name).name for name in PHOTO_RENDITIONS if getattr(self, name)]
