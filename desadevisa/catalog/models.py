"""Products made in the villages, their photos, and the Harmonized System nomenclature."""

from __future__ import annotations

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from desadevisa.core.models import Photo, RecordModel
from desadevisa.registry.models import CraftUnit, QuantityUnit


class HSLevel(models.TextChoices):
    SECTION = "section", _("Section")
    CHAPTER = "chapter", _("Chapter")
    HEADING = "heading", _("Heading")
    SUBHEADING = "subheading", _("Subheading")


class HSCode(models.Model):
    """An entry of the HS 2022 nomenclature.

    Its code is a section (roman numeral), a chapter (2 digits), a heading (4) or a subheading (6).
    """

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    level = models.CharField(_("level"), max_length=10, choices=HSLevel.choices)
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


def validate_currency_code(value: str) -> None:
    """Accept only an ISO 4217 currency code such as ``USD`` or ``IDR``."""
    if pycountry.currencies.get(alpha_3=value) is None or value != value.upper():
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code."),
            code="invalid_currency",
            params={"value": value},
        )


class Product(RecordModel):
    """A product made by craft units of one village, as buyers see it in the catalog."""

    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    hs_code = models.ForeignKey(
        HSCode,
        models.PROTECT,
        related_name="products",
        limit_choices_to={"level__in": [HSLevel.HEADING, HSLevel.SUBHEADING]},
        verbose_name=_("HS code"),
        help_text=_("A heading (4 digits) or a subheading (6 digits)."),
    )
    materials = models.TextField(_("materials"), blank=True)
    uniqueness_statement = models.TextField(
        _("uniqueness statement"), blank=True, help_text=_("What sets this product apart.")
    )
    origin_statement = models.TextField(
        _("origin statement"), blank=True, help_text=_("How and where in the village it is made.")
    )
    craft_units = models.ManyToManyField(
        CraftUnit, related_name="products", blank=True, verbose_name=_("craft units")
    )
    village = models.ForeignKey(
        "regions.Village",
        models.PROTECT,
        related_name="products",
        verbose_name=_("village"),
        help_text=_("The village it is made in."),
    )
    price_min = models.DecimalField(_("lowest FOB price"), max_digits=12, decimal_places=2)
    price_max = models.DecimalField(_("highest FOB price"), max_digits=12, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[validate_currency_code]
    )
    minimum_order = models.PositiveIntegerField(_("minimum order"))
    order_unit = models.CharField(
        _("order unit"), max_length=10, choices=QuantityUnit.choices, default=QuantityUnit.PIECE
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"))
    monthly_capacity = models.PositiveIntegerField(
        _("monthly capacity"), help_text=_("In the order unit.")
    )
    is_public = models.BooleanField(_("shown on the public showcase"), default=False)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name_id"],
                name="product_unique_name_per_village",
                violation_error_message=_("This village already has a product with this name."),
            ),
            models.CheckConstraint(
                name="product_price_not_negative",
                condition=Q(price_min__gte=0),
                violation_error_message=_("Prices cannot be negative."),
            ),
            models.CheckConstraint(
                name="product_price_range_ordered",
                condition=Q(price_min__lte=F("price_max")),
                violation_error_message=_("The lowest price cannot be above the highest price."),
            ),
            models.CheckConstraint(
                name="product_minimum_order_positive",
                condition=Q(minimum_order__gt=0),
                violation_error_message=_("The minimum order is at least one."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_en


class ProductPhoto(Photo):
    """A photo of a product; at most one per product is its cover."""

    photo_folder = "products"

    product = models.ForeignKey(
        Product, models.CASCADE, related_name="photos", verbose_name=_("product")
    )
    is_cover = models.BooleanField(_("cover photo"), default=False)

    class Meta(Photo.Meta):
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(is_cover=True),
                name="product_photo_one_cover_per_product",
                violation_error_message=_("This product already has a cover photo."),
            ),
        ]

    def __str__(self) -> str:
        return self.caption or f"{self.product} #{self.position}"
