"""Support for designated villages: financing, product design, market access and training.

One ``SupportItem`` row per item of a village's support plan, whatever its kind; the fields of
one kind are empty on the items of the others (check constraints say so). Financing is paid in
``Disbursement`` tranches; the outstanding balance is derived from them, never stored. Product
design delivers ``DesignDeliverable`` rows, with a file when there is one.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _

from desadevisa.core.models import RecordModel


class SupportKind(models.TextChoices):
    FINANCING = "financing", _("Financing")
    PRODUCT_DESIGN = "product_design", _("Product design")
    MARKET_ACCESS = "market_access", _("Market access")
    TRAINING = "training", _("Training")


class SupportStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class MarketChannel(models.TextChoices):
    TRADE_FAIR = "trade_fair", _("Trade fair")
    BUYER_MATCHING = "buyer_matching", _("Buyer matching")
    ONLINE_MARKETPLACE = "online_marketplace", _("Online marketplace listing")


# The fields only the items of one kind fill in, and their empty value on the others.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    SupportKind.FINANCING: ("scheme", "approved_amount_idr", "approved_on"),
    SupportKind.PRODUCT_DESIGN: ("designer",),
    SupportKind.MARKET_ACCESS: ("channel", "exhibition", "buyers_or_events"),
    SupportKind.TRAINING: ("topic", "participants_women", "participants_men"),
}
KIND_FIELD_EMPTY: dict[str, object] = {
    "scheme": "",
    "approved_amount_idr": None,
    "approved_on": None,
    "designer": "",
    "channel": "",
    "exhibition": None,
    "buyers_or_events": "",
    "topic": "",
    "participants_women": None,
    "participants_men": None,
}


def _kind_is(kind: str, filled: Q, empty: Q) -> Q:
    """Items of ``kind`` meet ``filled``; items of every other kind meet ``empty``."""
    return Q(filled, kind=kind) | Q(empty, ~Q(kind=kind))


class SupportItem(RecordModel):
    """One item of a designated village's support plan, by LPEI or a partner agency."""

    designation = models.ForeignKey(
        "nominations.Designation",
        models.PROTECT,
        related_name="support_items",
        verbose_name=_("designation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    title = models.CharField(_("title"), max_length=200)
    partner = models.CharField(
        _("partner"),
        max_length=200,
        help_text=_("LPEI or the partner agency: Disperindag, Dekranasda, a university…"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SupportStatus.choices, default=SupportStatus.PLANNED
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Financing.
    scheme = models.CharField(_("financing scheme"), max_length=200, blank=True)
    approved_amount_idr = models.DecimalField(
        _("approved amount (IDR)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # Product design.
    designer = models.CharField(_("designer or design partner"), max_length=200, blank=True)
    # Market access.
    channel = models.CharField(
        _("channel"), max_length=20, choices=MarketChannel.choices, blank=True
    )
    exhibition = models.ForeignKey(
        "showcase.Exhibition",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="support_items",
        verbose_name=_("exhibition"),
    )
    buyers_or_events = models.TextField(_("buyers or events involved"), blank=True)
    # Training.
    topic = models.CharField(_("training topic"), max_length=200, blank=True)
    participants_women = models.PositiveIntegerField(_("women participants"), null=True, blank=True)
    participants_men = models.PositiveIntegerField(_("men participants"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("support item")
        verbose_name_plural = _("support items")
        constraints = [
            models.CheckConstraint(
                name="support_item_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
            ),
            models.CheckConstraint(
                name="support_item_approved_amount_positive",
                violation_error_message=_("The approved amount must be more than zero."),
                condition=Q(approved_amount_idr__isnull=True) | Q(approved_amount_idr__gt=0),
            ),
            models.CheckConstraint(
                name="support_item_participants_not_negative",
                violation_error_message=_("A number of participants cannot be negative."),
                condition=(Q(participants_women__isnull=True) | Q(participants_women__gte=0))
                & (Q(participants_men__isnull=True) | Q(participants_men__gte=0)),
            ),
            models.CheckConstraint(
                name="support_item_financing_fields",
                violation_error_message=_(
                    "A financing item has a scheme, an approved amount and an approval date; "
                    "other items have none."
                ),
                condition=_kind_is(
                    SupportKind.FINANCING,
                    ~Q(scheme="") & Q(approved_amount_idr__isnull=False, approved_on__isnull=False),
                    Q(scheme="", approved_amount_idr__isnull=True, approved_on__isnull=True),
                ),
            ),
            models.CheckConstraint(
                name="support_item_design_fields",
                violation_error_message=_(
                    "A product design item names its designer; other items name none."
                ),
                condition=_kind_is(SupportKind.PRODUCT_DESIGN, ~Q(designer=""), Q(designer="")),
            ),
            models.CheckConstraint(
                name="support_item_market_access_fields",
                violation_error_message=_(
                    "A market-access item has a channel; other items have no channel, "
                    "exhibition, buyers or events."
                ),
                condition=_kind_is(
                    SupportKind.MARKET_ACCESS,
                    ~Q(channel=""),
                    Q(channel="", exhibition__isnull=True, buyers_or_events=""),
                ),
            ),
            models.CheckConstraint(
                name="support_item_training_fields",
                violation_error_message=_(
                    "A training item has a topic and its participants by gender; other items "
                    "have none."
                ),
                condition=_kind_is(
                    SupportKind.TRAINING,
                    ~Q(topic="")
                    & Q(participants_women__isnull=False, participants_men__isnull=False),
                    Q(topic="", participants_women__isnull=True, participants_men__isnull=True),
                ),
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="support_item_kind_status_idx")]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> tuple[str | None, None]:
        """The province of the village supported, for the audit trail's readers."""
        return self.designation.nomination.village.province_id, None

    @property
    def is_financing(self) -> bool:
        return self.kind == SupportKind.FINANCING

    @property
    def disbursed_idr(self) -> Decimal:
        """The sum of the item's disbursements: the selectors' annotation when present, one
        query otherwise."""
        annotated = getattr(self, "disbursed_total_idr", None)
        if annotated is not None:
            return annotated
        total = self.disbursements.aggregate(total=Sum("amount_idr"))["total"]
        return total or Decimal(0)

    @property
    def outstanding_idr(self) -> Decimal | None:
        """Approved minus disbursed, for a financing item; None for the other kinds."""
        if self.approved_amount_idr is None:
            return None
        return self.approved_amount_idr - self.disbursed_idr

    @property
    def participants(self) -> int | None:
        if self.participants_women is None or self.participants_men is None:
            return None
        return self.participants_women + self.participants_men


class Disbursement(RecordModel):
    """One tranche of a financing item, paid on a day."""

    item = models.ForeignKey(
        SupportItem,
        models.PROTECT,
        related_name="disbursements",
        verbose_name=_("support item"),
    )
    disbursed_on = models.DateField(_("disbursed on"))
    amount_idr = models.DecimalField(_("amount (IDR)"), max_digits=18, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["disbursed_on", "pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(
                name="disbursement_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
                condition=Q(amount_idr__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} — {self.disbursed_on}"

    def audit_scope(self) -> tuple[str | None, None]:
        return self.item.audit_scope()


class DesignDeliverable(RecordModel):
    """Something a product design item delivered: a drawing, a prototype, a catalogue."""

    item = models.ForeignKey(
        SupportItem,
        models.CASCADE,
        related_name="deliverables",
        verbose_name=_("support item"),
    )
    title = models.CharField(_("title"), max_length=200)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    # Stored under a random name (core.uploads.stored_name) by the service; served only through
    # a view that checks the reader's scope.
    file = models.FileField(_("file"), max_length=200, blank=True)

    class Meta:
        ordering = ["delivered_on", "pk"]
        verbose_name = _("design deliverable")
        verbose_name_plural = _("design deliverables")

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> tuple[str | None, None]:
        return self.item.audit_scope()
