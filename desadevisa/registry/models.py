"""Village profiles, craft units, the organisations they belong to, and their memberships."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Self

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desadevisa.core.models import Photo, RecordModel

validate_business_id = RegexValidator(
    r"^[0-9]{13}\Z",
    _("A business ID (NIB) is exactly 13 digits."),
    code="invalid_business_id",
)


class QuantityUnit(models.TextChoices):
    """Units for capacities, minimum orders and shipped quantities."""

    PIECE = "piece", _("pieces")
    SET = "set", _("sets")
    PAIR = "pair", _("pairs")
    KILOGRAM = "kg", _("kilograms")
    METRE = "m", _("metres")
    SQUARE_METRE = "m2", _("square metres")
    LITRE = "l", _("litres")


class OrganisationKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative")
    ASSOCIATION = "association", _("Association")
    VILLAGE_ENTERPRISE = "bumdes", _("Village-owned enterprise (BUMDes)")


class VillageProfile(RecordModel):
    """A village taking part in the programme: where it is, its story and its flagship commodity."""

    village = models.OneToOneField(
        "regions.Village", models.PROTECT, related_name="profile", verbose_name=_("village")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Taken from the village's official centroid when left empty; may be refined."),
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    story_id = models.TextField(_("story (Indonesian)"), blank=True)
    story_en = models.TextField(_("story (English)"), blank=True)
    flagship_commodity = models.CharField(_("flagship commodity"), max_length=200)
    is_public = models.BooleanField(_("shown on the public showcase"), default=False)

    class Meta:
        verbose_name = _("village profile")
        verbose_name_plural = _("village profiles")
        constraints = [
            models.CheckConstraint(
                name="village_profile_location_complete",
                violation_error_message=_("Give both latitude and longitude, or neither."),
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
            ),
            models.CheckConstraint(
                name="village_profile_location_on_earth",
                violation_error_message=_(
                    "Latitude lies between -90 and 90 and longitude between -180 and 180."
                ),
                condition=Q(latitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.village)

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and self.latitude is None and self.longitude is None:
            # The official centroid is a fair first point for the map until someone refines it.
            self.latitude = self.village.latitude
            self.longitude = self.village.longitude
        super().save(*args, **kwargs)


class Organisation(RecordModel):
    """A cooperative, association or village-owned enterprise: an entity buyers contract with."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    legal_name = models.CharField(_("legal name"), max_length=200)
    registration_number = models.CharField(_("registration number"), max_length=100)
    address = models.TextField(_("address"), blank=True)
    village = models.ForeignKey(
        "regions.Village",
        models.PROTECT,
        related_name="organisations",
        verbose_name=_("village"),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "registration_number"],
                name="organisation_unique_registration_per_kind",
                violation_error_message=_(
                    "An organisation of this kind with this registration number already exists."
                ),
            ),
            models.CheckConstraint(
                name="organisation_registration_number_not_blank",
                violation_error_message=_("Give the registration number."),
                condition=~Q(registration_number=""),
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name


class CraftUnitQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def current_members(
        self,
        *,
        on: datetime.date | None = None,
        kinds: Iterable[str] = (OrganisationKind.COOPERATIVE, OrganisationKind.ASSOCIATION),
    ) -> Self:
        """Units with a membership running on the day in an organisation of one of the kinds."""
        memberships = Membership.objects.current(on=on).filter(
            craft_unit=OuterRef("pk"), organisation__kind__in=list(kinds)
        )
        return self.filter(Exists(memberships))


class CraftUnit(RecordModel):
    """A workshop or business in a village that makes products."""

    name = models.CharField(_("name"), max_length=200)
    owner_name = models.CharField(_("owner"), max_length=200)
    village = models.ForeignKey(
        "regions.Village", models.PROTECT, related_name="craft_units", verbose_name=_("village")
    )
    workers_women = models.PositiveIntegerField(_("women workers"), default=0)
    workers_men = models.PositiveIntegerField(_("men workers"), default=0)
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity"))
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=10, choices=QuantityUnit.choices, default=QuantityUnit.PIECE
    )
    business_id = models.CharField(
        _("business ID (NIB)"), max_length=13, blank=True, validators=[validate_business_id]
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CraftUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("craft unit")
        verbose_name_plural = _("craft units")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"],
                name="craft_unit_unique_name_per_village",
                violation_error_message=_("This village already has a craft unit with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def workers(self) -> int:
        return self.workers_women + self.workers_men

    def current_memberships(self, *, on: datetime.date | None = None) -> MembershipQuerySet:
        return self.memberships.current(on=on)


class MembershipQuerySet(models.QuerySet):
    def current(self, *, on: datetime.date | None = None) -> Self:
        """Memberships running on the day, today by default; ``ended_on`` is the last day."""
        day = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day)


class Membership(RecordModel):
    """A craft unit's membership of an organisation, from its first day to its last."""

    craft_unit = models.ForeignKey(
        CraftUnit, models.CASCADE, related_name="memberships", verbose_name=_("craft unit")
    )
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("Last day of membership; empty while it runs."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
            models.UniqueConstraint(
                fields=["craft_unit", "organisation", "started_on"],
                name="membership_unique_start",
                violation_error_message=_(
                    "This craft unit already has a membership of this organisation starting "
                    "that day."
                ),
            ),
            models.UniqueConstraint(
                fields=["craft_unit", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_open_per_unit_and_organisation",
                violation_error_message=_(
                    "This craft unit already has a running membership of this organisation."
                ),
            ),
        ]
        indexes = [
            # A village's organisations: the memberships of its craft units, answered from
            # the index alone on PostgreSQL.
            models.Index(
                fields=["craft_unit"],
                include=["organisation", "started_on", "ended_on"],
                name="membership_unit_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.craft_unit} — {self.organisation}"


class VillageProfilePhoto(Photo):
    """A photo of the village; the first in order is its cover."""

    photo_folder = "villages"

    profile = models.ForeignKey(
        VillageProfile, models.CASCADE, related_name="photos", verbose_name=_("village profile")
    )

    class Meta(Photo.Meta):
        verbose_name = _("village photo")
        verbose_name_plural = _("village photos")

    def __str__(self) -> str:
        return self.caption or f"{self.profile} #{self.position}"


class CraftUnitPhoto(Photo):
    """A photo of a craft unit's workshop or work."""

    photo_folder = "craft-units"

    craft_unit = models.ForeignKey(
        CraftUnit, models.CASCADE, related_name="photos", verbose_name=_("craft unit")
    )

    class Meta(Photo.Meta):
        verbose_name = _("craft unit photo")
        verbose_name_plural = _("craft unit photos")

    def __str__(self) -> str:
        return self.caption or f"{self.craft_unit} #{self.position}"
