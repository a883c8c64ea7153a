"""Exhibitions where village products are displayed to foreign delegates and buyers."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from desadevisa.core.models import RecordModel


class Exhibition(RecordModel):
    """An event, such as the G20 2022 meetings, with curated display items."""

    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        constraints = [
            models.CheckConstraint(
                name="exhibition_ends_after_start",
                condition=Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("An exhibition cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_en


class ExhibitionVenue(RecordModel):
    """A place where an exhibition is held, on a given day when known."""

    exhibition = models.ForeignKey(
        Exhibition, models.CASCADE, related_name="venues", verbose_name=_("exhibition")
    )
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    held_on = models.DateField(_("held on"), null=True, blank=True)

    class Meta:
        ordering = ["held_on", "name"]
        verbose_name = _("exhibition venue")
        verbose_name_plural = _("exhibition venues")
        constraints = [
            models.UniqueConstraint(
                fields=["exhibition", "name"],
                name="exhibition_venue_unique_name",
                violation_error_message=_("This exhibition already has a venue of that name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class DisplayItem(RecordModel):
    """A product shown at an exhibition; its QR code opens the product's page."""

    exhibition = models.ForeignKey(
        Exhibition, models.CASCADE, related_name="display_items", verbose_name=_("exhibition")
    )
    product = models.ForeignKey(
        "catalog.Product",
        models.PROTECT,
        related_name="display_items",
        verbose_name=_("product"),
    )
    note_id = models.TextField(_("note (Indonesian)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("display item")
        verbose_name_plural = _("display items")
        constraints = [
            models.UniqueConstraint(
                fields=["exhibition", "product"],
                name="display_item_unique_product_per_exhibition",
                violation_error_message=_("This product is already displayed at the exhibition."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.exhibition}"
