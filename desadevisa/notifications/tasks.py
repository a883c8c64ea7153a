"""E-mails of notifications, sent in the background after the writing transaction commits.

Only the notification's id travels through the task queue; the e-mail is written when it is
sent, from the row, in every language of the site (Indonesian first), as plain text.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from desadevisa.core.site import absolute_url
from desadevisa.notifications.models import Notification
from desadevisa.notifications.texts import notification_path, notification_text

logger = logging.getLogger(__name__)

# A refused or failed send is tried again this many times in all, later each time, when the
# task backend can run a task later (the database backend can; the immediate one cannot).
EMAIL_ATTEMPTS = 4
EMAIL_RETRY_DELAY = datetime.timedelta(minutes=5)
SECTION_SEPARATOR = "\n\n" + "-" * 40 + "\n\n"


def notification_email(notification: Notification) -> tuple[str, str]:
    """The subject and plain-text body of ``notification``'s e-mail: each language in turn."""
    subjects: list[str] = []
    sections: list[str] = []
    for language, _name in settings.LANGUAGES:
        text = notification_text(notification, language)
        if text.subject not in subjects:
            subjects.append(text.subject)
        with translation.override(language):
            sections.append(
                render_to_string(
                    "notifications/email/notification_body.txt",
                    {
                        "text": text,
                        "url": absolute_url(notification_path(notification, language)),
                        "inbox_url": absolute_url(reverse("notifications:inbox")),
                    },
                ).strip()
            )
    return " / ".join(subjects), SECTION_SEPARATOR.join(sections) + "\n"


@task()
def notification_email_send(*, notification_id: int, attempt: int = 1) -> None:
    """E-mail one notification to its recipient, once; a failure is logged and tried again."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return
        recipient = notification.recipient
        if not recipient.is_active or not recipient.email:
            return
        subject, body = notification_email(notification)
        try:
            send_mail(subject, body, None, [recipient.email])
        except Exception as error:
            # Whatever the mail backend raises; logged without the address or the text, which
            # are personal data.
            logger.warning(
                "Notification %s: e-mail not sent (attempt %s of %s, %s)",
                notification_id,
                attempt,
                EMAIL_ATTEMPTS,
                type(error).__name__,
            )
            _retry_later(notification_id=notification_id, attempt=attempt)
            return
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])


def _retry_later(*, notification_id: int, attempt: int) -> None:
    if attempt >= EMAIL_ATTEMPTS or not notification_email_send.get_backend().supports_defer:
        return
    delayed = notification_email_send.using(run_after=timezone.now() + EMAIL_RETRY_DELAY * attempt)
    transaction.on_commit(
        lambda: delayed.enqueue(notification_id=notification_id, attempt=attempt + 1),
        robust=True,
    )
