"""Programme cycles with their quotas, the villages nominated in them, and designations."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desadevisa.core.models import RecordModel

# Crockford's base-32 letters without 0 and 1: the code is read off a printed certificate and
# typed in by hand, so no two characters may look alike (0/O, 1/I/L).
VERIFICATION_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
VERIFICATION_CODE_LENGTH = 12


def verification_code_generate() -> str:
    """Return a new random certificate verification code (about 58 bits: not guessable)."""
    return "".join(
        secrets.choice(VERIFICATION_CODE_ALPHABET) for _position in range(VERIFICATION_CODE_LENGTH)
    )


class ProgrammeCycle(RecordModel):
    """A year's round of the programme with its eligibility thresholds.

    Its dates bound it: provinces submit nominations (and submit returned ones again) from
    ``opens_on`` to ``closes_on``, both included, and the programme decides on them (designates
    or rejects, by a decree dated) within the same dates. Outside them a step needs a
    programme officer's override of the dates (``CycleDateOverride``), recorded with its reason.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    opens_on = models.DateField(
        _("opens on"), help_text=_("Nominations are accepted from this day.")
    )
    closes_on = models.DateField(
        _("closes on"),
        help_text=_("Nominations and decisions are accepted until this day, included."),
    )
    min_craft_units = models.PositiveSmallIntegerField(_("minimum active craft units"), default=3)
    min_membership_share = models.PositiveSmallIntegerField(
        _("minimum share of units in a cooperative or association (%)"), default=100
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("programme cycle")
        verbose_name_plural = _("programme cycles")
        constraints = [
            models.CheckConstraint(
                name="programme_cycle_closes_after_opening",
                violation_error_message=_("A cycle cannot close before it opens."),
                condition=Q(closes_on__gte=F("opens_on")),
            ),
            models.CheckConstraint(
                name="programme_cycle_membership_share_is_percentage",
                violation_error_message=_("The membership share is a percentage, 0 to 100."),
                condition=Q(min_membership_share__gte=0, min_membership_share__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CycleDateOverride(RecordModel):
    """A programme officer's leave to submit and decide in a cycle outside its dates, with the
    reason, who gave it and when (``created_at``); in effect until ``until`` (included) or, left
    blank, for good. Written once, never changed."""

    cycle = models.ForeignKey(
        ProgrammeCycle,
        models.CASCADE,
        related_name="date_overrides",
        verbose_name=_("programme cycle"),
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cycle_date_overrides",
        verbose_name=_("granted by"),
    )
    granted_by_label = models.CharField(_("granted by (name)"), max_length=150, blank=True)
    until = models.DateField(
        _("in effect until"),
        null=True,
        blank=True,
        help_text=_("Leave blank for an override without an end."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("override of the cycle's dates")
        verbose_name_plural = _("overrides of the cycle's dates")
        constraints = [
            models.CheckConstraint(
                name="cycle_date_override_has_reason",
                violation_error_message=_("Give the reason for the override: it is required."),
                condition=~Q(reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.granted_by_label}"

    def is_in_effect(self, on) -> bool:
        return self.until is None or on <= self.until


class ProvinceQuota(RecordModel):
    """How many villages a province may have nominated in a cycle."""

    cycle = models.ForeignKey(
        ProgrammeCycle, models.CASCADE, related_name="quotas", verbose_name=_("programme cycle")
    )
    province = models.ForeignKey(
        "regions.Province", models.PROTECT, related_name="quotas", verbose_name=_("province")
    )
    allowed = models.PositiveSmallIntegerField(_("villages allowed"))

    class Meta:
        verbose_name = _("province quota")
        verbose_name_plural = _("province quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "province"],
                name="province_quota_unique_per_cycle",
                violation_error_message=_("This province already has a quota in this cycle."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} — {self.province}: {self.allowed}"


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    WAITING = "waiting", _("Waiting list")
    SUBMITTED = "submitted", _("Submitted")
    SCREENED = "screened", _("Screened")
    VISIT_SCHEDULED = "visit_scheduled", _("Visit scheduled")
    VISITED = "visited", _("Visited")
    DESIGNATED = "designated", _("Designated")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A nomination in one of these states no longer stands for its village in the cycle.
NOMINATION_ENDED_STATES = (NominationState.REJECTED, NominationState.WITHDRAWN)
# A nomination in one of these states holds a slot of its province's quota in the cycle: from
# its submission until it is rejected or withdrawn (a designated village keeps its slot).
NOMINATION_QUOTA_STATES = (
    NominationState.SUBMITTED,
    NominationState.SCREENED,
    NominationState.RETURNED,
    NominationState.VISIT_SCHEDULED,
    NominationState.VISITED,
    NominationState.DESIGNATED,
)
# The officer may change the nomination's village, product and statement only in these states.
NOMINATION_EDITABLE_STATES = (NominationState.DRAFT, NominationState.RETURNED)


class Nomination(RecordModel):
    """A village proposed with its flagship product in a programme cycle."""

    cycle = models.ForeignKey(
        ProgrammeCycle,
        models.PROTECT,
        related_name="nominations",
        verbose_name=_("programme cycle"),
    )
    village = models.ForeignKey(
        "regions.Village", models.PROTECT, related_name="nominations", verbose_name=_("village")
    )
    flagship_product = models.ForeignKey(
        "catalog.Product",
        models.PROTECT,
        related_name="nominations",
        verbose_name=_("flagship product"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=NominationState.choices, default=NominationState.DRAFT
    )
    statement = models.TextField(_("statement"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_nominations",
        verbose_name=_("submitted by"),
    )
    # Place on the province's waiting list in the cycle (1 moves up first); set only while the
    # nomination is waiting.
    waiting_rank = models.PositiveIntegerField(
        _("place on the waiting list"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "village"],
                condition=~Q(state__in=NOMINATION_ENDED_STATES),
                name="nomination_one_standing_per_village_and_cycle",
                violation_error_message=_("This village is already nominated in this cycle."),
            ),
            models.CheckConstraint(
                name="nomination_waiting_rank_only_while_waiting",
                violation_error_message=_("Only a waiting nomination has a place on the list."),
                condition=Q(state="waiting", waiting_rank__isnull=False)
                | Q(~Q(state="waiting"), waiting_rank__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} ({self.cycle})"

    def clean(self) -> None:
        super().clean()
        if (
            self.village_id
            and self.flagship_product_id
            and self.flagship_product.village_id != self.village_id
        ):
            raise ValidationError(
                {"flagship_product": _("The flagship product must be made in the village.")}
            )

    @property
    def is_editable(self) -> bool:
        """Whether the nomination's village, product and statement may still change."""
        return self.state in NOMINATION_EDITABLE_STATES

    @property
    def holds_quota_slot(self) -> bool:
        return self.state in NOMINATION_QUOTA_STATES


class NominationEventKind(models.TextChoices):
    STEP = "step", _("Workflow step")
    UNIQUENESS_CONFIRMED = "uniqueness_confirmed", _("Uniqueness confirmed")
    UNIQUENESS_REFUSED = "uniqueness_refused", _("Uniqueness refused")


# The events that record the programme officer's review of criterion 1 (unique product).
UNIQUENESS_REVIEW_KINDS = (
    NominationEventKind.UNIQUENESS_CONFIRMED,
    NominationEventKind.UNIQUENESS_REFUSED,
)


class NominationEvent(models.Model):
    """One step of a nomination's workflow: who moved it from which state to which, when, why,
    and what the screening said at that moment; or a review taken without moving it (the
    uniqueness of its product), its state then recorded on both sides. Written once by the
    workflow's services, never changed."""

    nomination = models.ForeignKey(
        Nomination, models.CASCADE, related_name="events", verbose_name=_("nomination")
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=NominationEventKind.choices,
        default=NominationEventKind.STEP,
    )
    from_state = models.CharField(_("from state"), max_length=20, choices=NominationState.choices)
    to_state = models.CharField(_("to state"), max_length=20, choices=NominationState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="nomination_events",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    screening = models.JSONField(_("screening snapshot"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("nomination event")
        verbose_name_plural = _("nomination events")
        constraints = [
            models.CheckConstraint(
                name="nomination_event_changes_state",
                violation_error_message=_("A workflow step moves the nomination to a new state."),
                condition=(Q(kind="step") & ~Q(from_state=F("to_state")))
                | (~Q(kind="step") & Q(from_state=F("to_state"))),
            ),
        ]

    def __str__(self) -> str:
        if self.kind != NominationEventKind.STEP:
            return f"{self.nomination}: {self.kind}"
        return f"{self.nomination}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Nomination events are append-only.")
        super().save(*args, **kwargs)

    @property
    def is_step(self) -> bool:
        return self.kind == NominationEventKind.STEP


class DesignationStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    DESIGNATED = "designated", _("Designated")
    UNDER_REVIEW = "under_review", _("Under review")
    LAPSED = "lapsed", _("Lapsed")
    REVOKED = "revoked", _("Revoked")


class Designation(RecordModel):
    """The decree making a nominated village a Desa Devisa, and its status since."""

    nomination = models.OneToOneField(
        Nomination, models.PROTECT, related_name="designation", verbose_name=_("nomination")
    )
    decree_number = models.CharField(_("decree number"), max_length=100)
    designated_on = models.DateField(_("designated on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DesignationStatus.choices,
        default=DesignationStatus.CANDIDATE,
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    verification_code = models.CharField(
        _("verification code"),
        max_length=VERIFICATION_CODE_LENGTH,
        unique=True,
        editable=False,
        default=verification_code_generate,
    )

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        constraints = [
            models.UniqueConstraint(
                Upper("decree_number"),
                name="designation_decree_number_unique",
                violation_error_message=_(
                    "This decree number is already used by another designation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.decree_number


class QuotaRequestState(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


class QuotaRaiseRequest(RecordModel):
    """A province's request for more places in a cycle's quota, and the programme's answer."""

    cycle = models.ForeignKey(
        ProgrammeCycle,
        models.CASCADE,
        related_name="quota_requests",
        verbose_name=_("programme cycle"),
    )
    province = models.ForeignKey(
        "regions.Province",
        models.PROTECT,
        related_name="quota_requests",
        verbose_name=_("province"),
    )
    places = models.PositiveSmallIntegerField(_("additional places requested"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="quota_requests",
        verbose_name=_("requested by"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=QuotaRequestState.choices,
        default=QuotaRequestState.PENDING,
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_quota_requests",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("quota raise request")
        verbose_name_plural = _("quota raise requests")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "province"],
                condition=Q(state="pending"),
                name="quota_raise_request_one_pending_per_province",
                violation_error_message=_(
                    "This province already has a request waiting for an answer in this cycle."
                ),
            ),
            models.CheckConstraint(
                name="quota_raise_request_asks_for_places",
                violation_error_message=_("Ask for at least one more place."),
                condition=Q(places__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province} ({self.cycle}): +{self.places}"
