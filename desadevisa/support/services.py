"""Changes to the support plans of designated villages; each service owns its transaction and
records its audit event.

Only the national roles change support (``support.permissions``): anyone else gets
``SupportRefused`` (403). Bad input is refused with a ValidationError whose messages are
translated, by field where there is one, and nothing is written.

- Items are planned only for a designation whose status is "designated" (the designation row
  is locked while the item is written, so a revocation at the same moment waits for it). An
  existing item may still be updated once its designation lapses or is revoked, to record it
  done or cancelled.
- Disbursements lock their financing item first: two tranches recorded at the same moment are
  checked one after the other against the approved amount, so their sum never exceeds it.
- Deliverable files (PDF, JPEG, PNG or WebP) are checked by content and name
  (``deliverable_file_check``) and stored under a random name; a file whose change does not
  commit is removed again, a deleted one once the deletion commits.
- An item with disbursements is not deleted (money paid stays on record: it is cancelled
  instead); an item's deliverables and their files are deleted with it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_changes, audit_record, audit_snapshot
from desadevisa.core.editing import record_lock_for_edit
from desadevisa.core.uploads import CheckedDocument, document_process, stored_name
from desadevisa.nominations.models import Designation, DesignationStatus
from desadevisa.support.models import (
    KIND_FIELD_EMPTY,
    KIND_FIELDS,
    DesignDeliverable,
    Disbursement,
    SupportItem,
    SupportKind,
    SupportStatus,
)
from desadevisa.support.permissions import SupportAction, support_item_can, support_may_plan

DELIVERABLE_FOLDER = "support/deliverables"
# The fields every item has, whatever its kind; the kind's own are in KIND_FIELDS.
COMMON_FIELDS = ("title", "partner", "status", "starts_on", "ends_on", "notes")
TEXT_FIELDS = frozenset(
    {"title", "partner", "notes", "scheme", "designer", "channel", "buyers_or_events", "topic"}
)
ITEM_AUDIT_FIELDS = ("designation", "kind", *COMMON_FIELDS, *KIND_FIELD_EMPTY)
DISBURSEMENT_AUDIT_FIELDS = ("item", "disbursed_on", "amount_idr", "note")
DELIVERABLE_AUDIT_FIELDS = ("item", "title", "delivered_on", "file")


class SupportRefused(PermissionDenied):
    """The person may not change support; nothing was written. ``message`` is translated."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message or gettext("Only the programme's officers plan support.")
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


def rupiah(amount: Decimal) -> str:
    """An amount of rupiah as people read it in the active language: grouped, without the
    cents when there are none."""
    places = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=places, force_grouping=True)


def _change_check(*, actor, item: SupportItem | None = None) -> None:
    if item is None:
        allowed = support_may_plan(user=actor)
    else:
        allowed = support_item_can(user=actor, item=item, action=SupportAction.CHANGE)
    if not allowed:
        raise SupportRefused


def _designated_check(designation: Designation) -> None:
    if designation.status != DesignationStatus.DESIGNATED:
        raise ValidationError(
            gettext(
                "Support is given only to a designated village: this village's designation "
                "is “%(status)s”."
            )
            % {"status": DesignationStatus(designation.status).label}
        )


def _province(item: SupportItem) -> str:
    return item.designation.nomination.village.province_id


# Items ---------------------------------------------------------------------------------------


def _item_fill(item: SupportItem, values: Mapping[str, Any]) -> None:
    """Set the common fields and the fields of the item's kind found in ``values``; clear the
    fields of the other kinds."""
    own = KIND_FIELDS.get(item.kind, ())
    for name in (*COMMON_FIELDS, *own):
        if name in values:
            value = values[name]
            if name in TEXT_FIELDS:
                value = (value or "").strip()
            setattr(item, name, value)
    for name, empty in KIND_FIELD_EMPTY.items():
        if name not in own:
            setattr(item, name, empty)


def _item_errors(item: SupportItem) -> dict[str, list[str]]:
    """What is missing or wrong in ``item``, by field, in the order a form shows them."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if item.kind not in SupportKind.values:
        refuse("kind", gettext("Choose one of the kinds of support offered."))
    if item.status not in SupportStatus.values:
        refuse("status", gettext("Choose one of the statuses offered."))
    if not item.title:
        refuse("title", gettext("Enter a title for the support item."))
    if not item.partner:
        refuse("partner", gettext("Enter LPEI or the partner agency giving the support."))
    if item.starts_on is None:
        refuse("starts_on", gettext("Enter the start date."))
    elif item.ends_on is not None and item.ends_on < item.starts_on:
        refuse("ends_on", gettext("The end date cannot be before the start date."))
    if item.kind == SupportKind.FINANCING:
        if not item.scheme:
            refuse("scheme", gettext("Enter the financing scheme."))
        if item.approved_amount_idr is None:
            refuse("approved_amount_idr", gettext("Enter the approved amount in IDR."))
        elif item.approved_amount_idr <= 0:
            refuse("approved_amount_idr", gettext("The approved amount must be more than zero."))
        if item.approved_on is None:
            refuse("approved_on", gettext("Enter the date the financing was approved."))
        elif item.approved_on > timezone.localdate():
            refuse("approved_on", gettext("The approval date cannot be in the future."))
    elif item.kind == SupportKind.PRODUCT_DESIGN:
        if not item.designer:
            refuse("designer", gettext("Enter the designer or design partner."))
    elif item.kind == SupportKind.MARKET_ACCESS:
        if not item.channel:
            refuse("channel", gettext("Choose the market-access channel."))
    elif item.kind == SupportKind.TRAINING:
        if not item.topic:
            refuse("topic", gettext("Enter the topic of the training."))
        for name in ("participants_women", "participants_men"):
            count = getattr(item, name)
            if count is None:
                refuse(name, gettext("Enter the number of participants (0 if none)."))
            elif count < 0:
                refuse(name, gettext("A number of participants cannot be negative."))
    return errors


def _item_validate(item: SupportItem, extra: Mapping[str, list[str]] | None = None) -> None:
    errors = _item_errors(item)
    for name, messages in (extra or {}).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    # Lengths, choices and the model's constraints, which the checks above should have met.
    item.full_clean(exclude=["designation"])


def support_item_create(
    *, designation: Designation, values: Mapping[str, Any], actor
) -> SupportItem:
    """Plan a support item for ``designation``'s village and return it.

    ``values``: ``kind`` and the common fields (``title``, ``partner``, ``status``,
    ``starts_on``, ``ends_on``, ``notes``) with the fields of the kind (``KIND_FIELDS``); the
    fields of other kinds are ignored. SupportRefused (403) for anyone but the national roles;
    ValidationError when the designation's status is not "designated", or by field for
    anything missing or wrong.
    """
    _change_check(actor=actor)
    with transaction.atomic():
        current = (
            Designation.objects.select_for_update(of=("self",))
            .select_related("nomination__village")
            .get(pk=designation.pk)
        )
        _designated_check(current)
        item = SupportItem(
            designation=current, kind=values.get("kind") or "", origin=current.origin
        )
        _item_fill(item, values)
        _item_validate(item)
        item.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATED,
            obj=item,
            changes=audit_changes({}, audit_snapshot(item, ITEM_AUDIT_FIELDS)),
            province_code=_province(item),
        )
    return item


def _disbursement_facts(item: SupportItem) -> tuple[Decimal, datetime.date | None]:
    """The sum of ``item``'s disbursements and the date of the first one."""
    facts = item.disbursements.aggregate(total=Sum("amount_idr"), first=Min("disbursed_on"))
    return facts["total"] or Decimal(0), facts["first"]


def support_item_update(
    *, item: SupportItem, values: Mapping[str, Any], seen_version: str, actor
) -> SupportItem:
    """Change ``item`` to ``values`` (as ``support_item_create``; a field left out keeps its
    value) and return it.

    SupportRefused (403) for anyone but the national roles; EditConflict when it changed since
    ``seen_version``; ValidationError by field as on creation, for a different kind (an item
    keeps its kind), and for a financing item whose approved amount would fall below what was
    already disbursed or whose approval would come after its first disbursement.
    """
    _change_check(actor=actor, item=item)
    with transaction.atomic():
        current = record_lock_for_edit(SupportItem, pk=item.pk, seen_version=seen_version)
        extra: dict[str, list[str]] = {}
        if values.get("kind", current.kind) != current.kind:
            extra["kind"] = [
                gettext(
                    "The kind of a support item cannot change: cancel this item and plan a new one."
                )
            ]
        before = audit_snapshot(current, ITEM_AUDIT_FIELDS)
        _item_fill(current, values)
        if current.kind == SupportKind.FINANCING:
            total, first = _disbursement_facts(current)
            approved = current.approved_amount_idr
            if approved is not None and approved > 0 and approved < total:
                extra["approved_amount_idr"] = [
                    gettext(
                        "The approved amount cannot be less than the IDR %(total)s already "
                        "disbursed."
                    )
                    % {"total": rupiah(total)}
                ]
            if (
                first is not None
                and current.approved_on is not None
                and current.approved_on > first
            ):
                extra["approved_on"] = [
                    gettext("The approval date cannot be after the first disbursement (%(date)s).")
                    % {"date": date_format(first, "DATE_FORMAT")}
                ]
        _item_validate(current, extra)
        current.save()
        changes = audit_changes(before, audit_snapshot(current, ITEM_AUDIT_FIELDS))
        if changes:
            audit_record(
                actor=actor,
                action=AuditAction.CHANGED,
                obj=current,
                changes=changes,
                province_code=_province(current),
            )
    return current


def support_item_delete(*, item: SupportItem, actor) -> None:
    """Delete ``item`` with its deliverables (their files go once the deletion commits).

    SupportRefused (403) for anyone but the national roles; ValidationError for a financing
    item with disbursements (money paid stays on record, the item is cancelled instead) and for
    an item someone else deleted meanwhile.
    """
    _change_check(actor=actor, item=item)
    with transaction.atomic():
        current = (
            SupportItem.objects.select_for_update(of=("self",))
            .select_related("designation__nomination__village")
            .filter(pk=item.pk)
            .first()
        )
        if current is None:
            raise ValidationError(gettext("This support item was already deleted."))
        if current.disbursements.exists():
            raise ValidationError(
                gettext(
                    "This item has disbursements: it cannot be deleted. Set its status to "
                    "“%(status)s” instead."
                )
                % {"status": SupportStatus.CANCELLED.label}
            )
        files = [row.file.name for row in current.deliverables.all() if row.file]
        audit_record(
            actor=actor,
            action=AuditAction.DELETED,
            obj=current,
            changes=audit_changes(audit_snapshot(current, ITEM_AUDIT_FIELDS), {}),
            province_code=_province(current),
        )
        current.deliverables.all().delete()
        current.delete()
        transaction.on_commit(partial(_files_delete, files))


# Disbursements -------------------------------------------------------------------------------


def _item_lock(item: SupportItem) -> SupportItem:
    """Lock ``item``'s row for the rest of the transaction and return it, read again."""
    return (
        SupportItem.objects.select_for_update(of=("self",))
        .select_related("designation__nomination__village")
        .get(pk=item.pk)
    )


def _disbursed_total(item: SupportItem) -> Decimal:
    return _disbursement_facts(item)[0]


def disbursement_add(
    *,
    item: SupportItem,
    disbursed_on: datetime.date | None,
    amount_idr: Decimal | None,
    note: str = "",
    actor,
) -> Disbursement:
    """Record a tranche of the financing ``item`` paid on ``disbursed_on`` and return it.

    Locks the item, then refuses, writing nothing: SupportRefused (403) for anyone but the
    national roles; ValidationError for an item that is not financing or is cancelled, a
    designation no longer "designated", and by field for a missing, zero or negative amount, a
    missing date, a date in the future or before the approval, and an amount that would bring
    the total disbursed above the approved amount.
    """
    _change_check(actor=actor, item=item)
    with transaction.atomic():
        current = _item_lock(item)
        if current.kind != SupportKind.FINANCING:
            raise ValidationError(gettext("Only a financing item has disbursements."))
        if current.status == SupportStatus.CANCELLED:
            raise ValidationError(gettext("This item is cancelled: it takes no disbursements."))
        _designated_check(current.designation)
        errors: dict[str, list[str]] = {}
        if amount_idr is None:
            errors["amount_idr"] = [gettext("Enter the amount disbursed in IDR.")]
        elif amount_idr <= 0:
            errors["amount_idr"] = [gettext("The amount must be more than zero.")]
        if disbursed_on is None:
            errors["disbursed_on"] = [gettext("Enter the date of the disbursement.")]
        elif disbursed_on > timezone.localdate():
            errors["disbursed_on"] = [gettext("A disbursement cannot be dated in the future.")]
        elif disbursed_on < current.approved_on:
            errors["disbursed_on"] = [
                gettext(
                    "A disbursement cannot be dated before the financing was approved (%(date)s)."
                )
                % {"date": date_format(current.approved_on, "DATE_FORMAT")}
            ]
        if errors:
            raise ValidationError(errors)
        disbursed = _disbursed_total(current)
        if disbursed + amount_idr > current.approved_amount_idr:
            raise ValidationError(
                {
                    "amount_idr": [
                        gettext(
                            "This disbursement would bring the total disbursed to IDR "
                            "%(total)s, more than the approved IDR %(approved)s: at most IDR "
                            "%(outstanding)s is outstanding."
                        )
                        % {
                            "total": rupiah(disbursed + amount_idr),
                            "approved": rupiah(current.approved_amount_idr),
                            "outstanding": rupiah(current.approved_amount_idr - disbursed),
                        }
                    ]
                }
            )
        row = Disbursement(
            item=current,
            disbursed_on=disbursed_on,
            amount_idr=amount_idr,
            note=(note or "").strip(),
            origin=current.origin,
        )
        row.full_clean()
        row.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATED,
            obj=row,
            changes=audit_changes({}, audit_snapshot(row, DISBURSEMENT_AUDIT_FIELDS)),
            province_code=_province(current),
        )
    return row


def disbursement_delete(*, disbursement: Disbursement, actor) -> Decimal:
    """Delete a disbursement recorded by mistake and return the item's outstanding balance
    after it, recomputed under the item's lock.

    SupportRefused (403) for anyone but the national roles; ValidationError when someone else
    deleted the disbursement meanwhile.
    """
    _change_check(actor=actor, item=disbursement.item)
    with transaction.atomic():
        current = _item_lock(disbursement.item)
        row = Disbursement.objects.filter(pk=disbursement.pk, item=current).first()
        if row is None:
            raise ValidationError(gettext("This disbursement was already deleted."))
        audit_record(
            actor=actor,
            action=AuditAction.DELETED,
            obj=row,
            changes=audit_changes(audit_snapshot(row, DISBURSEMENT_AUDIT_FIELDS), {}),
            province_code=_province(current),
        )
        row.delete()
        return current.approved_amount_idr - _disbursed_total(current)


# Design deliverables -------------------------------------------------------------------------


def _file_storage():
    return DesignDeliverable._meta.get_field("file").storage


def _files_delete(names: list[str]) -> None:
    storage = _file_storage()
    for name in names:
        if name:
            storage.delete(name)


DELIVERABLE_KINDS = ("pdf", "jpg", "png", "webp")


def deliverable_file_check(upload: UploadedFile) -> CheckedDocument:
    """The content a deliverable file is stored as (a PDF, or a JPEG, PNG or WebP picture
    re-encoded without metadata), or ValidationError with the message for the person who
    sent it: ``core.uploads.document_process``'s refusals (SECURITY UP-1), and anything that
    is not one of those kinds by its content (HTML, SVG, a program or an archive renamed
    ``.pdf``).
    """
    return document_process(
        upload,
        kinds=DELIVERABLE_KINDS,
        refusal=_("A deliverable must be a PDF document or a JPEG, PNG or WebP picture."),
    )


def _deliverable_errors(
    item: SupportItem, title: str, delivered_on: datetime.date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [gettext("Enter the title of the deliverable.")]
    if delivered_on is not None:
        if delivered_on > timezone.localdate():
            errors["delivered_on"] = [gettext("A delivery date cannot be in the future.")]
        elif delivered_on < item.starts_on:
            errors["delivered_on"] = [
                gettext("A delivery date cannot be before the item started (%(date)s).")
                % {"date": date_format(item.starts_on, "DATE_FORMAT")}
            ]
    return errors


def design_deliverable_add(
    *,
    item: SupportItem,
    title: str,
    delivered_on: datetime.date | None = None,
    upload: UploadedFile | None = None,
    actor,
) -> DesignDeliverable:
    """Record something the product design ``item`` delivered, with its file if any.

    Locks the item, then refuses, writing and storing nothing: SupportRefused (403) for anyone
    but the national roles; ValidationError for an item that is not product design, and by
    field for a missing title, a delivery date in the future or before the item's start, and a
    file ``deliverable_file_check`` refuses. A delivery date may be left out.
    """
    _change_check(actor=actor, item=item)
    title = (title or "").strip()
    stored = ""
    try:
        with transaction.atomic():
            current = _item_lock(item)
            if current.kind != SupportKind.PRODUCT_DESIGN:
                raise ValidationError(gettext("Only a product design item has deliverables."))
            errors = _deliverable_errors(current, title, delivered_on)
            document = None
            if upload is not None:
                try:
                    document = deliverable_file_check(upload)
                except ValidationError as error:
                    errors["file"] = error.messages
            if errors:
                raise ValidationError(errors)
            if document is not None:
                stored = _file_storage().save(
                    stored_name(DELIVERABLE_FOLDER, document.suffix), document.as_file()
                )
            row = DesignDeliverable(
                item=current, title=title, delivered_on=delivered_on, origin=current.origin
            )
            row.file.name = stored
            row.full_clean()
            row.save()
            audit_record(
                actor=actor,
                action=AuditAction.CREATED,
                obj=row,
                changes=audit_changes({}, audit_snapshot(row, DELIVERABLE_AUDIT_FIELDS)),
                province_code=_province(current),
            )
    except BaseException:
        _files_delete([stored])
        raise
    return row


def design_deliverable_delete(*, deliverable: DesignDeliverable, actor) -> None:
    """Delete a deliverable; its file goes once the deletion commits. SupportRefused (403) for
    anyone but the national roles; ValidationError when someone else deleted it meanwhile."""
    _change_check(actor=actor, item=deliverable.item)
    with transaction.atomic():
        current = _item_lock(deliverable.item)
        row = DesignDeliverable.objects.filter(pk=deliverable.pk, item=current).first()
        if row is None:
            raise ValidationError(gettext("This deliverable was already deleted."))
        audit_record(
            actor=actor,
            action=AuditAction.DELETED,
            obj=row,
            changes=audit_changes(audit_snapshot(row, DELIVERABLE_AUDIT_FIELDS), {}),
            province_code=_province(current),
        )
        name = row.file.name
        row.delete()
        transaction.on_commit(partial(_files_delete, [name]))
