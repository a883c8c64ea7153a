"""Buyer inquiries from the public showcase, the consent they were sent with, and their pipeline.

An inquiry holds a buyer's personal data (name, company, e-mail, phone, message) until the
retention period ends (setting INQUIRY_RETENTION_DAYS); ``inquiries_purge`` then blanks those
fields and keeps what the programme's figures need: the product, country, status, dates and
``buyer_key``, a keyed hash of the e-mail that tells returning buyers from new ones.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desadevisa.core.i18n import localized_text
from desadevisa.core.models import RecordModel

# The longest message a buyer may write.
MESSAGE_MAX_LENGTH = 4000
# The largest quantity an inquiry may ask for (a typing slip, not a real order, beyond it).
QUANTITY_MAX = 10_000_000
# What replaces the buyer's name once the inquiry is anonymised.
ANONYMISED_MARKER = "—"


class PrivacyNotice(models.Model):
    """A version of the privacy notice shown with the inquiry form; the current one is the
    latest version already published."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    published_on = models.DateField(_("published on"))
    text_id = models.TextField(_("text (Indonesian)"))
    text_en = models.TextField(_("text (English)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return f"{self.version} ({self.published_on})"

    def text_in_force(self) -> str:
        """The text in the active language (the other when it is empty), with the retention
        period the site applies (``{retention_days}`` in the stored text)."""
        text = localized_text(self, "text").text
        return text.replace("{retention_days}", str(settings.INQUIRY_RETENTION_DAYS))


class InquiryStatus(models.TextChoices):
    """Where an inquiry stands, in the order of the pipeline; ``lost`` ends it at any step."""

    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    SAMPLES_SENT = "samples_sent", _("Samples sent")
    ORDER = "order", _("Order")
    SHIPPED = "shipped", _("Shipped")
    LOST = "lost", _("Lost")


# The pipeline, in order; an inquiry moves only forward along it, or to lost while open.
PIPELINE = (
    InquiryStatus.NEW,
    InquiryStatus.CONTACTED,
    InquiryStatus.SAMPLES_SENT,
    InquiryStatus.ORDER,
    InquiryStatus.SHIPPED,
)
CLOSED_STATUSES = frozenset({InquiryStatus.SHIPPED, InquiryStatus.LOST})


class Inquiry(RecordModel):
    """A buyer's request about one product, sent from the public showcase."""

    product = models.ForeignKey(
        "catalog.Product", models.PROTECT, related_name="inquiries", verbose_name=_("product")
    )
    exhibition = models.ForeignKey(
        "showcase.Exhibition",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("exhibition"),
        help_text=_("The exhibition where the buyer saw the product, when known."),
    )
    name = models.CharField(_("name"), max_length=200)
    company = models.CharField(_("company"), max_length=200, blank=True)
    country = models.ForeignKey(
        "regions.Country", models.PROTECT, related_name="inquiries", verbose_name=_("country")
    )
    email = models.EmailField(_("e-mail address"), max_length=254, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(QUANTITY_MAX)]
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    shipment = models.ForeignKey(
        "exports.ExportShipment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("export shipment"),
        help_text=_("The export shipment the inquiry became."),
    )
    lost_reason = models.CharField(_("reason it was lost"), max_length=500, blank=True)
    # A keyed hash of the normalised e-mail: kept after anonymisation, so the figures of new
    # and returning buyers survive while the address does not.
    buyer_key = models.CharField(_("buyer key"), max_length=64, db_index=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # Set by the background tasks once done, so a retried task never sends twice.
    confirmation_sent_at = models.DateTimeField(
        _("confirmation e-mailed at"), null=True, blank=True
    )
    handlers_notified_at = models.DateTimeField(_("handlers notified at"), null=True, blank=True)
    # Not auto_now_add: the retention clock and the demo's story need the real date.
    created_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("buyer inquiry")
        verbose_name_plural = _("buyer inquiries")
        constraints = [
            models.CheckConstraint(
                name="inquiry_quantity_positive",
                condition=Q(quantity__gt=0),
                violation_error_message=_("The quantity must be at least one."),
            ),
            models.CheckConstraint(
                name="inquiry_shipped_has_shipment",
                condition=~Q(status=InquiryStatus.SHIPPED) | Q(shipment__isnull=False),
                violation_error_message=_("A shipped inquiry names its export shipment."),
            ),
        ]

    def __str__(self) -> str:
        # No personal data: this text reaches the audit trail and logs.
        return f"#{self.pk} {self.product}"

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def audit_scope(self) -> tuple[str | None, int | None]:
        """The province of the product's village, for who may read the inquiry's events."""
        return self.product.village.province_id, None


class ConsentPurpose(models.TextChoices):
    INQUIRY_CONTACT = "inquiry_contact", _("Answer the inquiry and follow it to an export")


class ConsentRecord(models.Model):
    """The consent a buyer gave with an inquiry: which notice, for what, when (UU PDP)."""

    inquiry = models.OneToOneField(
        Inquiry, models.CASCADE, related_name="consent", verbose_name=_("inquiry")
    )
    notice = models.ForeignKey(
        PrivacyNotice,
        models.PROTECT,
        related_name="consents",
        verbose_name=_("privacy notice"),
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=ConsentPurpose.choices)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.notice.version})"


class InquiryEvent(models.Model):
    """One step of an inquiry's pipeline: append-only, written by the services."""

    inquiry = models.ForeignKey(
        Inquiry, models.CASCADE, related_name="events", verbose_name=_("inquiry")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=InquiryStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=InquiryStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiry_events",
        verbose_name=_("actor"),
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("inquiry event")
        verbose_name_plural = _("inquiry events")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Inquiry events are append-only.")
        super().save(*args, **kwargs)

    save.alters_data = True
