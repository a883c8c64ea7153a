"""Designations: the decision that makes a visited nomination a Desa Devisa, its status since,
and the reads behind the staff pages and the public verification page.

``designation_decide`` takes the workflow step "designate" and writes the designation in one
transaction: a refused decision writes neither. Status changes (under review, lapsed, revoked,
back to designated) belong to the national roles and need a reason, except the restoration.

The public reads (``designation_public_get``) look a certificate up by its verification code
only; they never reach the reason for a status, which may concern people.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_from_path, gettext

from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_changes, audit_record, audit_snapshot
from desadevisa.core.editing import record_lock_for_edit
from desadevisa.nominations.cycle_dates import DECIDING, cycle_dates_check
from desadevisa.nominations.models import (
    VERIFICATION_CODE_ALPHABET,
    VERIFICATION_CODE_LENGTH,
    Designation,
    DesignationStatus,
    Nomination,
    NominationState,
)
from desadevisa.nominations.permissions import (
    NominationAction,
    ProgrammeAction,
    designation_can,
    nomination_can,
)
from desadevisa.nominations.selectors import designation_scope
from desadevisa.nominations.services import nomination_transition
from desadevisa.nominations.workflow import (
    TRANSITIONS,
    TransitionOutOfOrder,
    TransitionRefused,
    transition_check,
)

DESIGNATION_AUDIT_FIELDS = ("nomination", "decree_number", "designated_on", "status")
# The statuses a national role may give a designation once it is designated.
DESIGNATION_STATUS_CHOICES = (
    DesignationStatus.DESIGNATED,
    DesignationStatus.UNDER_REVIEW,
    DesignationStatus.LAPSED,
    DesignationStatus.REVOKED,
)
# A candidate is not yet a certificate: the public page does not know it.
DESIGNATION_PUBLIC_STATUSES = DESIGNATION_STATUS_CHOICES
# The states from which a decision is taken: designate from visited, reject from both.
NOMINATION_DECISION_STATES = (NominationState.SCREENED, NominationState.VISITED)
# Characters people put between the groups of a printed code.
CODE_SEPARATORS = re.compile(r"[\s\-\.]+")
CODE_PATTERN = re.compile(f"[{VERIFICATION_CODE_ALPHABET}]{{{VERIFICATION_CODE_LENGTH}}}")
CODE_GROUP = 4


# Verification codes --------------------------------------------------------------------------


def verification_code_normalise(raw: str) -> str | None:
    """The code as stored, from what someone typed (lower case, spaces, dashes), or None when
    it cannot be a verification code at all."""
    code = CODE_SEPARATORS.sub("", raw or "").upper()
    return code if CODE_PATTERN.fullmatch(code) else None


def verification_code_display(code: str) -> str:
    """The code in groups of four for reading aloud and typing: ``ABCD-EFGH-JKMN``."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def verification_path(code: str) -> str:
    """The address of the verification page without a language prefix, as the QR code carries
    it: the visitor's language is chosen on arrival (LocaleMiddleware redirects)."""
    localised = reverse("verify:certificate", kwargs={"code": code})
    language = get_language_from_path(localised)
    return localised.replace(f"/{language}/", "/", 1) if language else localised


# Deciding ------------------------------------------------------------------------------------


def _decision_errors(
    *, nomination: Nomination, decree_number: str, designated_on: datetime.date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not decree_number:
        errors["decree_number"] = [gettext("Enter the number of the designation decree.")]
    elif (
        Designation.objects.filter(decree_number__iexact=decree_number)
        .exclude(nomination=nomination)
        .exists()
    ):
        errors["decree_number"] = [
            gettext("The decree number %(number)s is already used by another designation.")
            % {"number": decree_number}
        ]
    if designated_on is None:
        errors["designated_on"] = [gettext("Enter the date of the designation decree.")]
    elif designated_on > timezone.localdate():
        errors["designated_on"] = [gettext("The designation date cannot be in the future.")]
    elif designated_on < nomination.cycle.opens_on:
        errors["designated_on"] = [
            gettext("The designation date cannot be before the programme cycle opens (%(date)s).")
            % {"date": date_format(nomination.cycle.opens_on, "DATE_FORMAT")}
        ]
    return errors


def designation_decide(
    *,
    nomination: Nomination,
    decree_number: str,
    designated_on: datetime.date | None,
    comment: str = "",
    actor,
) -> Designation:
    """Designate a visited nomination by decree and return its designation (status designated,
    with a new verification code).

    Locks the nomination, then refuses in this order, writing nothing: TransitionRefused (403)
    for a role that may not decide or the nomination's submitter, TransitionOutOfOrder (409)
    when it is not visited (designated by someone else meanwhile, say), CycleClosed (409)
    outside the cycle's dates without an override (so a decree is dated within them, or on a
    day of the override), ValidationError by field for a blank or already used decree number
    or a date in the future or before the cycle opens. Then takes the workflow step
    "designate" (its event and audit entry) and writes the designation with its own audit
    entry.
    """
    decree_number = (decree_number or "").strip()
    with transaction.atomic():
        current = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=nomination.pk)
        )
        transition_check(nomination=current, step=TRANSITIONS["designate"], user=actor)
        cycle_dates_check(cycle=current.cycle, doing=DECIDING)
        errors = _decision_errors(
            nomination=current, decree_number=decree_number, designated_on=designated_on
        )
        if errors:
            raise ValidationError(errors)
        nomination_transition(nomination=current, name="designate", actor=actor, comment=comment)
        # A candidate row written ahead of the decision becomes the designation.
        designation = Designation.objects.filter(nomination=current).first() or Designation(
            nomination=current
        )
        before = audit_snapshot(designation, DESIGNATION_AUDIT_FIELDS) if designation.pk else {}
        designation.decree_number = decree_number
        designation.designated_on = designated_on
        designation.status = DesignationStatus.DESIGNATED
        designation.status_reason = ""
        designation.full_clean(exclude=["nomination"])
        try:
            with transaction.atomic():
                designation.save()
        except IntegrityError as error:
            # Another decision took the decree number since the check above.
            raise ValidationError(
                {
                    "decree_number": [
                        gettext(
                            "The decree number %(number)s is already used by another designation."
                        )
                        % {"number": decree_number}
                    ]
                }
            ) from error
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED if before else AuditAction.CREATED,
            obj=designation,
            changes=audit_changes(before, audit_snapshot(designation, DESIGNATION_AUDIT_FIELDS)),
            province_code=current.village.province_id,
        )
    return designation


# Status --------------------------------------------------------------------------------------


@transaction.atomic
def designation_status_change(
    *, designation: Designation, status: str, reason: str, seen_version: str, actor
) -> Designation:
    """Put a designation under review, let it lapse, revoke it, or restore it to designated.

    TransitionRefused (403) for anyone but the national roles; EditConflict when it changed
    since ``seen_version``; TransitionOutOfOrder (409) for a candidate (not decided yet) or a
    status it already has; ValidationError on ``reason`` when a status other than designated
    comes without one, or on ``status`` for an unknown status. Records the old and new status
    in the audit trail.
    """
    if not designation_can(user=actor, designation=designation, action=ProgrammeAction.CHANGE):
        raise TransitionRefused(gettext("You may not change the status of this designation."))
    if status not in DESIGNATION_STATUS_CHOICES:
        raise ValidationError({"status": [gettext("Choose one of the statuses offered.")]})
    reason = (reason or "").strip()
    if status != DesignationStatus.DESIGNATED and not reason:
        raise ValidationError(
            {"reason": [gettext("Give the reason for this status: it is required.")]}
        )
    current = record_lock_for_edit(Designation, pk=designation.pk, seen_version=seen_version)
    if current.status == DesignationStatus.CANDIDATE:
        raise TransitionOutOfOrder(
            gettext("This designation has not been decided yet: its status cannot change.")
        )
    if current.status == status:
        raise TransitionOutOfOrder(
            gettext("The designation is already “%(status)s”.")
            % {"status": DesignationStatus(status).label}
        )
    before = audit_snapshot(current, ("status", "status_reason"))
    current.status = status
    current.status_reason = reason
    current.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        obj=current,
        changes=audit_changes(before, audit_snapshot(current, ("status", "status_reason"))),
        summary=f"status {status}",
        province_code=current.nomination.village.province_id,
    )
    return current


# Reads ---------------------------------------------------------------------------------------

DESIGNATION_RELATED = (
    "nomination__cycle",
    "nomination__flagship_product",
    "nomination__village__district__regency",
    "nomination__village__province",
)


def designation_detail(*, user, pk: int) -> Designation:
    """The designation ``pk`` with its nomination, cycle, product and regions if ``user`` may
    read it; Http404 otherwise."""
    rows = designation_scope(user=user).select_related(*DESIGNATION_RELATED)
    return get_object_or_404(rows, pk=pk)


def designation_public_get(*, code: str) -> Designation | None:
    """The decided designation whose verification code is ``code`` (already normalised), with
    what its public page shows selected; None for an unknown code or a candidate."""
    return (
        Designation.objects.filter(verification_code=code, status__in=DESIGNATION_PUBLIC_STATUSES)
        .select_related(*DESIGNATION_RELATED)
        .first()
    )


@dataclass(frozen=True)
class DesignationPanel:
    """What the nomination page shows about the decision: the designation if there is one, the
    links its reader may follow, and whether they may decide (once the visit is recorded; the
    page's own button rejects earlier)."""

    designation: Designation | None
    may_decide: bool
    may_change_status: bool

    @property
    def code_display(self) -> str:
        return verification_code_display(self.designation.verification_code)

    @property
    def has_certificate(self) -> bool:
        return (
            self.designation is not None and self.designation.status == DesignationStatus.DESIGNATED
        )


def designation_panel(*, user, nomination: Nomination) -> DesignationPanel:
    """The decision panel of ``nomination`` for ``user``, who reads it (one query)."""
    designation = Designation.objects.filter(nomination=nomination).first()
    decided = designation is not None and designation.status != DesignationStatus.CANDIDATE
    return DesignationPanel(
        designation=designation if decided else None,
        may_decide=nomination.state == NominationState.VISITED
        and nomination_can(user=user, nomination=nomination, action=NominationAction.DECIDE),
        may_change_status=decided
        and designation_can(user=user, designation=designation, action=ProgrammeAction.CHANGE),
    )
