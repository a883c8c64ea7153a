"""Background work after an inquiry is received: the buyer's confirmation e-mail and the
notice to the people who handle it.

Only the inquiry's id travels through the task queue. Each task locks the inquiry and marks
what it did, so a task run twice sends nothing twice. A mail server that refuses is logged
(without any address or text: personal data) and the confirmation is tried again later.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from desadevisa.core.i18n import localized_text
from desadevisa.core.site import absolute_url
from desadevisa.inquiries.models import Inquiry
from desadevisa.inquiries.selectors import inquiry_recipients
from desadevisa.notifications.models import NotificationKind
from desadevisa.notifications.services import notification_send

logger = logging.getLogger(__name__)

EMAIL_ATTEMPTS = 4
EMAIL_RETRY_DELAY = datetime.timedelta(minutes=5)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def inquiry_confirmation_email(inquiry: Inquiry) -> EmailMessage:
    """The buyer's confirmation, plain text, in the inquiry's language.

    It repeats nothing the buyer typed (a form that mails any address must not carry a
    stranger's words), and its subject is built from the product's name alone, on one line.
    """
    with translation.override(inquiry.language):
        product_name = _one_line(localized_text(inquiry.product, "name").text)
        context = {
            "inquiry": inquiry,
            "product_name": product_name,
            "unit": inquiry.product.get_order_unit_display(),
            "privacy_url": absolute_url(reverse("inquiry:privacy")),
        }
        subject = render_to_string("inquiries/email/confirmation_subject.txt", context)
        body = render_to_string("inquiries/email/confirmation_body.txt", context)
    return EmailMessage(subject=_one_line(subject), body=body.strip() + "\n", to=[inquiry.email])


@task()
def inquiry_confirmation_send(*, inquiry_id: int, attempt: int = 1) -> None:
    """E-mail the buyer that their inquiry arrived, once; a failure is logged and retried."""
    with transaction.atomic():
        inquiry = (
            Inquiry.objects.select_for_update(of=("self",))
            .select_related("product")
            .filter(pk=inquiry_id, confirmation_sent_at__isnull=True, anonymised_at__isnull=True)
            .exclude(email="")
            .first()
        )
        if inquiry is None:
            return
        try:
            inquiry_confirmation_email(inquiry).send()
        except Exception as error:
            # Whatever the mail backend raises; the inquiry itself is already saved.
            logger.warning(
                "Inquiry %s: confirmation not sent (attempt %s of %s, %s)",
                inquiry_id,
                attempt,
                EMAIL_ATTEMPTS,
                type(error).__name__,
            )
            _retry_later(inquiry_id=inquiry_id, attempt=attempt)
            return
        inquiry.confirmation_sent_at = timezone.now()
        inquiry.save(update_fields=["confirmation_sent_at"])


def _retry_later(*, inquiry_id: int, attempt: int) -> None:
    if attempt >= EMAIL_ATTEMPTS or not inquiry_confirmation_send.get_backend().supports_defer:
        return
    delayed = inquiry_confirmation_send.using(
        run_after=timezone.now() + EMAIL_RETRY_DELAY * attempt
    )
    transaction.on_commit(
        lambda: delayed.enqueue(inquiry_id=inquiry_id, attempt=attempt + 1), robust=True
    )


def inquiry_notice_params(inquiry: Inquiry) -> dict[str, object]:
    """What the handlers' notification says: product, place, country, quantity, exhibition.
    Nothing about the buyer as a person: notifications outlive the retention period."""
    product = inquiry.product
    return {
        "product": product.name_id,
        "village": product.village.name,
        "province": product.village.province.name,
        "country": inquiry.country.name_en,
        "quantity": inquiry.quantity,
        "exhibition": inquiry.exhibition.name_en if inquiry.exhibition else "",
    }


@task()
def inquiry_handlers_notify(*, inquiry_id: int) -> None:
    """Notify the managers of the organisations making the product and the programme
    officers of a new inquiry, once (each notification is e-mailed by its own task)."""
    with transaction.atomic():
        inquiry = (
            Inquiry.objects.select_for_update(of=("self",))
            .select_related("product__village__province", "country", "exhibition")
            .filter(pk=inquiry_id, handlers_notified_at__isnull=True)
            .first()
        )
        if inquiry is None:
            return
        with translation.override(settings.LANGUAGE_CODE):
            link = reverse("inquiries:detail", kwargs={"pk": inquiry.pk})
        notification_send(
            recipients=inquiry_recipients(inquiry=inquiry),
            kind=NotificationKind.INQUIRY_RECEIVED,
            params=inquiry_notice_params(inquiry),
            link=link,
        )
        inquiry.handlers_notified_at = timezone.now()
        inquiry.save(update_fields=["handlers_notified_at"])
