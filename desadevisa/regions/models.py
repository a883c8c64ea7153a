"""Indonesia's administrative regions (Kemendagri codes) and the countries of the world."""

import re
import unicodedata
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

PROVINCE_CODE = re.compile(r"\d{2}")
REGENCY_CODE = re.compile(r"\d{2}\.\d{2}")
DISTRICT_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}")
VILLAGE_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")

NOT_SEARCHABLE = re.compile(r"[^a-z0-9]")


def search_key(text: str) -> str:
    """Fold a name for matching: lower case, accents dropped, only ASCII letters and digits kept.

    Spaces and punctuation go too, so "Minggir Sari", "minggirsari" and "Minggir-sari" are one key.
    """
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return NOT_SEARCHABLE.sub("", decomposed)


class RegionModel(models.Model):
    """A level of the hierarchy, keyed by its dotted official code (e.g. ``35.05.10.2001``)."""

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Province(RegionModel):
    class Meta(RegionModel.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class Regency(RegionModel):
    province = models.ForeignKey(
        Province, models.PROTECT, related_name="regencies", verbose_name=_("province")
    )

    class Meta(RegionModel.Meta):
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")


class District(RegionModel):
    regency = models.ForeignKey(
        Regency, models.PROTECT, related_name="districts", verbose_name=_("regency or city")
    )

    class Meta(RegionModel.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Village(RegionModel):
    # Indexed in Meta: a field index on a text column gets a second, pattern-matching index on
    # PostgreSQL, which no query of these columns needs and every village load has to write.
    district = models.ForeignKey(
        District,
        models.PROTECT,
        related_name="villages",
        verbose_name=_("district"),
        db_index=False,
    )
    # Denormalised from the code, which never changes: province scoping and filters need no joins.
    province = models.ForeignKey(
        Province,
        models.PROTECT,
        related_name="villages",
        verbose_name=_("province"),
        db_index=False,
    )
    # The name folded by search_key(): village search compares keys, so it is accent, case,
    # space and punctuation blind and can use a plain index.
    search_name = models.CharField(_("search name"), max_length=100, editable=False)

    class Meta(RegionModel.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        indexes = [
            models.Index(fields=["district"], name="regions_village_district_idx"),
            models.Index(fields=["province"], name="regions_village_province_idx"),
            # The pattern operator class lets PostgreSQL answer LIKE 'prefix%' from the index
            # whatever the database collation; other databases ignore it.
            models.Index(
                fields=["search_name"],
                name="regions_village_search_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def save(self, **kwargs: Any) -> None:
        self.search_name = search_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(**kwargs)

    @property
    def path(self) -> str:
        """The village with the district, regency and province it lies in, for display.

        Reads the district, its regency and the province: select them with the village.
        """
        district = self.district
        return f"{self.name} — {district.name}, {district.regency.name}, {self.province.name}"


class Country(models.Model):
    """An ISO 3166-1 country, with its name in English and Indonesian."""

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name_en
