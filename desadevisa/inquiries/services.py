"""Changes to buyer inquiries: receiving one, moving it along the pipeline, anonymising it.

Each service owns its transaction and records its audit event, which never holds the buyer's
personal data (the inquiry's text is ``#<pk> <product>``). E-mails leave from background tasks
once the transaction has committed, so a mail server that is down loses no inquiry.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_record
from desadevisa.catalog.models import Product
from desadevisa.exports.models import ExportShipment
from desadevisa.inquiries.models import (
    ANONYMISED_MARKER,
    CLOSED_STATUSES,
    PIPELINE,
    ConsentPurpose,
    ConsentRecord,
    Inquiry,
    InquiryEvent,
    InquiryStatus,
    PrivacyNotice,
)
from desadevisa.inquiries.permissions import InquiryAction, inquiry_can
from desadevisa.inquiries.selectors import inquiry_shipment_choices
from desadevisa.inquiries.tasks import inquiry_confirmation_send, inquiry_handlers_notify
from desadevisa.showcase.models import Exhibition

BUYER_KEY_SALT = "desadevisa.inquiries.buyer_key"
PURGE_BATCH_SIZE = 500


def buyer_key(email: str) -> str:
    """The key that recognises a buyer by e-mail address: an HMAC-SHA256 (hex) of the
    normalised address, keyed by the site's secret so that it cannot be looked up from a
    list of addresses once the address itself is gone."""
    normalised = email.strip().lower()
    return salted_hmac(BUYER_KEY_SALT, normalised, algorithm="sha256").hexdigest()


# Receiving an inquiry --------------------------------------------------------------------------


@transaction.atomic
def inquiry_create(
    *,
    product: Product,
    values: Mapping[str, Any],
    language: str,
    notice: PrivacyNotice,
    exhibition: Exhibition | None = None,
) -> Inquiry:
    """Record a buyer's inquiry sent from the public form, with its consent record and first
    event; after the commit, background tasks e-mail the buyer and notify the handlers.

    ``values`` are the form's cleaned values (name, company, country, email, phone, quantity,
    message). The audit event names no one: the sender is not signed in.
    """
    now = timezone.now()
    inquiry = Inquiry(
        product=product,
        exhibition=exhibition,
        language=language,
        buyer_key=buyer_key(values["email"]),
        created_at=now,
        **values,
    )
    inquiry.full_clean()
    inquiry.save()
    ConsentRecord.objects.create(
        inquiry=inquiry, notice=notice, purpose=ConsentPurpose.INQUIRY_CONTACT, given_at=now
    )
    InquiryEvent.objects.create(
        inquiry=inquiry, from_status="", to_status=InquiryStatus.NEW, actor=None, at=now
    )
    audit_record(
        actor=None,
        action=AuditAction.CREATED,
        obj=inquiry,
        changes={"status": [None, InquiryStatus.NEW.value]},
        summary="Inquiry received from the public showcase",
    )
    # robust: a task queue that refuses the job must not undo the answer to the buyer; the
    # inquiry is saved and its handlers find it in the pipeline.
    transaction.on_commit(
        partial(inquiry_confirmation_send.enqueue, inquiry_id=inquiry.pk), robust=True
    )
    transaction.on_commit(
        partial(inquiry_handlers_notify.enqueue, inquiry_id=inquiry.pk), robust=True
    )
    return inquiry


# The pipeline ----------------------------------------------------------------------------------


class InquiryMoveError(Exception):
    """A move the pipeline refuses; ``status`` is the HTTP status a page answers with."""

    status = 400

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class MoveNotAllowed(InquiryMoveError):
    status = 409


class MoveConflict(InquiryMoveError):
    status = 409


class MoveForbidden(InquiryMoveError):
    status = 403


def inquiry_targets(status: str) -> list[InquiryStatus]:
    """The statuses an inquiry in ``status`` may move to: any later step of the pipeline, or
    lost; none once shipped or lost."""
    if status in CLOSED_STATUSES:
        return []
    position = PIPELINE.index(InquiryStatus(status))
    return [*PIPELINE[position + 1 :], InquiryStatus.LOST]


def inquiry_lock(*, pk: int) -> Inquiry:
    """Lock the inquiry row for the rest of the transaction and read it afresh."""
    return (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("product__village")
        .get(pk=pk)
    )


@transaction.atomic
def inquiry_move(
    *,
    inquiry: Inquiry,
    to_status: str,
    from_status: str,
    actor,
    comment: str = "",
    shipment: ExportShipment | None = None,
    lost_reason: str = "",
) -> Inquiry:
    """Move ``inquiry`` from ``from_status`` (the status its handler saw) to ``to_status``.

    Locks the row first, so two handlers (or a double click) cannot both move it: the second
    finds it moved and gets MoveConflict. MoveNotAllowed for a move the pipeline does not
    have, MoveForbidden when ``actor`` may not move it, InquiryMoveError when shipped lacks an
    export shipment ``actor`` reads of the product's village (made on or after the inquiry
    arrived) or lost lacks a reason. Writes the event and a ``transitioned`` audit event.
    """
    if not inquiry_can(user=actor, inquiry=inquiry, action=InquiryAction.MOVE):
        raise MoveForbidden(gettext("You may follow this inquiry but not move it."))
    current = inquiry_lock(pk=inquiry.pk)
    if current.status != from_status:
        raise MoveConflict(
            gettext("This inquiry was moved in the meantime: it is now “%(status)s”.")
            % {"status": InquiryStatus(current.status).label}
        )
    if to_status not in inquiry_targets(current.status):
        raise MoveNotAllowed(
            gettext("An inquiry cannot move from “%(from)s” to “%(to)s”.")
            % {
                "from": InquiryStatus(current.status).label,
                "to": InquiryStatus(to_status).label,
            }
        )
    changes: dict[str, list[Any]] = {"status": [current.status, to_status]}
    if to_status == InquiryStatus.SHIPPED:
        allowed = inquiry_shipment_choices(user=actor, inquiry=current)
        if shipment is None or not allowed.filter(pk=shipment.pk).exists():
            raise InquiryMoveError(
                gettext(
                    "Choose an export shipment of this village, made on or after the day the "
                    "inquiry arrived."
                )
            )
        current.shipment = shipment
        changes["shipment"] = [None, shipment.pk]
    if to_status == InquiryStatus.LOST:
        lost_reason = " ".join(lost_reason.split())
        if not lost_reason:
            raise InquiryMoveError(gettext("Say why the inquiry was lost."))
        current.lost_reason = lost_reason
        changes["lost_reason"] = ["", lost_reason]
    previous = current.status
    current.status = to_status
    current.save(update_fields=["status", "shipment", "lost_reason", "updated_at"])
    InquiryEvent.objects.create(
        inquiry=current,
        from_status=previous,
        to_status=to_status,
        actor=actor,
        comment=comment.strip(),
        at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITIONED,
        obj=current,
        changes=changes,
        summary=f"{previous} → {to_status}",
    )
    return current


def inquiry_view_record(*, inquiry: Inquiry, actor) -> None:
    """Record that ``actor`` opened the inquiry's personal data (SECURITY LG-1)."""
    audit_record(actor=actor, action=AuditAction.VIEWED, obj=inquiry)


def inquiry_export_record(*, actor, count: int) -> None:
    """Record that ``actor`` exported ``count`` inquiries with their personal data."""
    audit_record(actor=actor, action=AuditAction.EXPORTED, summary=f"inquiries: {count} rows")


# Retention -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    """What a purge did: inquiries anonymised now, and those found already anonymised."""

    anonymised: int
    already_anonymised: int
    cutoff: datetime.datetime


def inquiries_purge(
    *,
    now: datetime.datetime | None = None,
    batch_size: int = PURGE_BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> PurgeResult:
    """Anonymise the inquiries received more than INQUIRY_RETENTION_DAYS days before ``now``.

    Name (replaced by a marker), company, e-mail, phone, message and the comments of their
    events are blanked and ``anonymised_at`` set; the product, country, exhibition, status,
    shipment, dates, consent record and ``buyer_key`` stay for the figures. Runs in batches,
    each its own transaction, calling ``progress(done, total)`` after each. Running it again
    changes nothing. One audit event per run that anonymised anything, naming no one.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.INQUIRY_RETENTION_DAYS)
    expired = Inquiry.objects.filter(created_at__lt=cutoff)
    pending = expired.filter(anonymised_at__isnull=True)
    total = pending.count()
    already = expired.count() - total
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                pending.select_for_update().order_by("pk").values_list("pk", flat=True)[:batch_size]
            )
            if not batch:
                break
            Inquiry.objects.filter(pk__in=batch).update(
                name=ANONYMISED_MARKER,
                company="",
                email="",
                phone="",
                message="",
                anonymised_at=now,
                updated_at=now,
            )
            InquiryEvent.objects.filter(inquiry_id__in=batch).exclude(comment="").update(comment="")
        done += len(batch)
        if progress is not None:
            progress(done, total)
    if done:
        audit_record(
            actor=None,
            action=AuditAction.CHANGED,
            summary=f"Inquiries anonymised after the retention period: {done}",
        )
    return PurgeResult(anonymised=done, already_anonymised=already, cutoff=cutoff)
