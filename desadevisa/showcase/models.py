"""Exhibitions where village products are displayed to foreign delegates and buyers."""

import secrets

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


# The letters of a display item's code: no 0/O, 1/I/L, so a code read off a card is typed right.
DISPLAY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DISPLAY_CODE_LENGTH = 8


def display_code_new() -> str:
    """A random display item code: 8 letters of DISPLAY_CODE_ALPHABET (about 40 bits)."""
    return "".join(secrets.choice(DISPLAY_CODE_ALPHABET) for _ in range(DISPLAY_CODE_LENGTH))


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
    # The short code of the item's QR address (/s/<code>/), given when the item is created.
    code = models.CharField(
        _("code"), max_length=DISPLAY_CODE_LENGTH, unique=True, default=display_code_new
    )

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


class ScanTally(models.Model):
    """How many times a display item's QR code was scanned on one day.

    Only the count is kept: no cookie, address or browser of the visitor.
    """

    display_item = models.ForeignKey(
        DisplayItem, models.CASCADE, related_name="scan_tallies", verbose_name=_("display item")
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("scans"), default=0)

    class Meta:
        ordering = ["display_item", "day"]
        verbose_name = _("scan tally")
        verbose_name_plural = _("scan tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["display_item", "day"], name="scan_tally_one_row_per_item_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_item_id} {self.day}: {self.count}"
