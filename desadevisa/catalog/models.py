"""Products made in the villages, their photos, and the Harmonized System nomenclature."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

import pycountry
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from desadevisa.core.models import Photo, RecordModel
from desadevisa.regions.models import Village
from desadevisa.registry.models import CraftUnit, QuantityUnit

# The fields of a product its search document is made of, besides its village's region names.
SEARCH_DOCUMENT_SOURCES = frozenset(
    {"name_id", "name_en", "description_id", "description_en", "materials", "village", "village_id"}
)
# The region names of a product's village in its search document, as Village lookups.
SEARCH_DOCUMENT_PLACES = (
    "name",
    "district__name",
    "district__regency__name",
    "province__name",
)


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


def search_fold(text: str) -> str:
    """Fold text for search: lower case, accents dropped, so "Kerajinan Tenun" and
    "kerajinan tenun" match, and so do "Café" and "cafe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def search_document_text(*, texts: Iterable[str | None], places: Iterable[str | None]) -> str:
    """A product's search document: its names, descriptions and materials in both languages,
    then the names of its village, district, regency and province, folded by search_fold()."""
    return search_fold("\n".join(part for part in (*texts, *places) if part))


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
    # Kept by save() (bulk writers use catalog.search); the public catalog searches it.
    search_document = models.TextField(_("search document"), blank=True, editable=False)
    # PostgreSQL only: the document's full-text vector, set by a trigger whenever the document
    # is written and indexed (migration 0003), so ranking reads it instead of recomputing it.
    # Always NULL on SQLite, which searches the document itself.
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

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

    def save(self, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SEARCH_DOCUMENT_SOURCES.intersection(update_fields):
            self.search_document = self.search_document_build()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_document"}
        super().save(**kwargs)

    def search_document_build(self) -> str:
        """The search document for the product's current values; reads its village's region
        names (one query)."""
        places = (
            Village.objects.filter(code=self.village_id)
            .values_list(*SEARCH_DOCUMENT_PLACES)
            .first()
        )
        return search_document_text(
            texts=(
                self.name_id,
                self.name_en,
                self.description_id,
                self.description_en,
                self.materials,
            ),
            places=places or (),
        )


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
