"""Messages to one person about something that happened in the programme: their inbox.

A notification stores what happened (its kind) and the few facts its message needs (its
params), never the text: the text is written from the kind's templates when it is read, in the
reader's language, and the e-mail carries it in every language of the site.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    NOMINATION_SUBMITTED = "nomination_submitted", _("Nomination submitted")
    NOMINATION_RETURNED = "nomination_returned", _("Nomination returned")
    NOMINATION_WAITING = "nomination_waiting", _("Nomination on the waiting list")
    NOMINATION_SCREENED = "nomination_screened", _("Nomination screened")
    NOMINATION_MOVED_UP = "nomination_moved_up", _("Nomination moved up from the waiting list")
    NOMINATION_DESIGNATED = "nomination_designated", _("Village designated")
    NOMINATION_REJECTED = "nomination_rejected", _("Nomination rejected")
    VISIT_ASSIGNED = "visit_assigned", _("Verification visit assigned")
    VISIT_SCHEDULED = "visit_scheduled", _("Verification visit scheduled")
    QUOTA_REQUEST_SENT = "quota_request_sent", _("Quota raise requested")
    QUOTA_REQUEST_ANSWERED = "quota_request_answered", _("Quota raise request answered")
    INQUIRY_RECEIVED = "inquiry_received", _("Buyer inquiry received")


# A link is a path on this site: never another host, so opening a notification cannot send
# its reader elsewhere.
LINK_IS_LOCAL_PATH = (
    Q(link__startswith="/") & ~Q(link__startswith="//") & ~Q(link__startswith="/\\")
)


class Notification(models.Model):
    """One message in one person's inbox, e-mailed to them once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    # What the message needs (names, a comment), no secrets: the text comes from the kind.
    params = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="notification_link_is_local_path",
                condition=LINK_IS_LOCAL_PATH,
                violation_error_message=_("A notification links to a page of this site."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
