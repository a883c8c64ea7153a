"""Verification visits: the team's findings per criterion, product reviews, the scores on LPEI's
six assessment aspects, photos with their position, and the recommendation."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from desadevisa.core.models import Photo, RecordModel

# The screening's criteria (nominations.screening), by code.
CRITERION_CHOICES = [
    (1, _("1. Unique product")),
    (2, _("2. Made in the village")),
    (3, _("3. Several craft units")),
    (4, _("4. Members of a cooperative or association")),
]
CRITERIA = tuple(code for code, _label in CRITERION_CHOICES)
SCORE_MIN, SCORE_MAX = 1, 5


class VisitState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SUBMITTED = "submitted", _("Submitted")


class Recommendation(models.TextChoices):
    DESIGNATE = "designate", _("Designate")
    DESIGNATE_WITH_CONDITIONS = "designate_with_conditions", _("Designate with conditions")
    DO_NOT_DESIGNATE = "do_not_designate", _("Do not designate")


class Finding(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")


class Aspect(models.TextChoices):
    """LPEI's six assessment aspects, in the order of the visit form."""

    PRODUCT = "product", _("Product")
    CONSISTENCY = "consistency", _("Consistency of production")
    EMPOWERMENT = "empowerment", _("Community empowerment")
    COORDINATION = "coordination", _("Coordination among stakeholders")
    MANAGEMENT = "management", _("Producers' management capability")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")


class Visit(RecordModel):
    """A verification visit to a nominated village by a team of verifiers."""

    nomination = models.ForeignKey(
        "nominations.Nomination",
        models.PROTECT,
        related_name="visits",
        verbose_name=_("nomination"),
    )
    planned_on = models.DateField(_("planned on"))
    verifiers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assigned_visits", verbose_name=_("verifiers")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=VisitState.choices, default=VisitState.PLANNED
    )
    overall_findings = models.TextField(_("overall findings"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=30, choices=Recommendation.choices, blank=True
    )
    recommendation_note = models.TextField(_("note on the recommendation"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_visits",
        verbose_name=_("submitted by"),
    )

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("verification visit")
        verbose_name_plural = _("verification visits")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination"],
                condition=Q(state="planned"),
                name="visit_one_planned_per_nomination",
                violation_error_message=_("This nomination already has a planned visit."),
            ),
            models.CheckConstraint(
                name="visit_submitted_has_time",
                violation_error_message=_("A submitted visit has a submission time."),
                condition=Q(state="planned") | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination.village} · {self.planned_on:%Y-%m-%d}"

    @property
    def is_planned(self) -> bool:
        return self.state == VisitState.PLANNED

    def audit_scope(self) -> tuple[str | None, int | None]:
        """Audit events of a visit are read in the province of its village."""
        return self.nomination.village.province_id, None


class CriterionFinding(models.Model):
    """What the team found on the spot about one eligibility criterion."""

    visit = models.ForeignKey(
        Visit, models.CASCADE, related_name="criterion_findings", verbose_name=_("visit")
    )
    criterion = models.PositiveSmallIntegerField(_("criterion"), choices=CRITERION_CHOICES)
    # Empty while the draft has no answer yet (a photo may be attached first).
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["criterion"]
        verbose_name = _("criterion finding")
        verbose_name_plural = _("criterion findings")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "criterion"],
                name="criterion_finding_unique_per_visit",
                violation_error_message=_("This criterion already has a finding on this visit."),
            ),
            models.CheckConstraint(
                name="criterion_finding_criterion_known",
                violation_error_message=_("The criterion is one of 1 to 4."),
                condition=Q(criterion__gte=1, criterion__lte=4),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.get_finding_display() or '—'}"


class ProductReview(models.Model):
    """The team's review of one product sample."""

    visit = models.ForeignKey(
        Visit, models.CASCADE, related_name="product_reviews", verbose_name=_("visit")
    )
    sample_name = models.CharField(_("product sample"), max_length=200)
    quality_rating = models.PositiveSmallIntegerField(_("quality rating (1 to 5)"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("product review")
        verbose_name_plural = _("product reviews")
        constraints = [
            models.CheckConstraint(
                name="product_review_rating_1_to_5",
                violation_error_message=_("The quality rating is 1 to 5."),
                condition=Q(quality_rating__gte=SCORE_MIN, quality_rating__lte=SCORE_MAX),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sample_name}: {self.quality_rating}"


class AspectScore(models.Model):
    """The score, 1 to 5, on one of the six assessment aspects; the total is never stored."""

    visit = models.ForeignKey(
        Visit, models.CASCADE, related_name="aspect_scores", verbose_name=_("visit")
    )
    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices)
    score = models.PositiveSmallIntegerField(_("score (1 to 5)"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("aspect score")
        verbose_name_plural = _("aspect scores")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "aspect"],
                name="aspect_score_unique_per_visit",
                violation_error_message=_("This aspect is already scored on this visit."),
            ),
            models.CheckConstraint(
                name="aspect_score_1_to_5",
                violation_error_message=_("A score is 1 to 5."),
                condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_aspect_display()}: {self.score}"


class VisitPhoto(Photo):
    """A photo taken on the visit, with where and when the camera says it was taken.

    The position and time are read from the upload's EXIF before the renditions strip it; the
    renditions themselves carry no metadata, and are served only to the visit's readers.
    """

    photo_folder: ClassVar[str] = "visit-photos"

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="photos", verbose_name=_("visit"))
    criterion_finding = models.ForeignKey(
        CriterionFinding,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("evidence for the criterion"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    distance_km = models.DecimalField(
        _("distance to the village (km)"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta(Photo.Meta):
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        constraints = [
            models.CheckConstraint(
                name="visit_photo_position_complete",
                violation_error_message=_("Give both latitude and longitude, or neither."),
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.caption or f"{self.visit} #{self.pk}"

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_far(self) -> bool:
        """Whether the photo was taken farther from the village than the setting allows."""
        limit = Decimal(str(settings.VISIT_PHOTO_MAX_DISTANCE_KM))
        return self.distance_km is not None and self.distance_km > limit
