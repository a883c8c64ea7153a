"""Base models shared by the domain apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
