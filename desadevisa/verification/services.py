"""Changes to verification visits: scheduling, the draft the team fills in, photos, submission.

Each service owns its transaction and records its audit event. Scheduling and submission take
the nomination's workflow step (``schedule_visit``, ``record_visit``) through
``nominations.services.nomination_transition`` inside the same transaction, so the visit and
the step are written together or not at all. Every change to a visit locks its row first: two
submissions of the same visit are serialised, and the second finds it submitted (409).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from desadevisa.accounts.models import Role, RoleAssignment
from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_changes, audit_record, audit_snapshot
from desadevisa.core.editing import EditConflict, record_version
from desadevisa.nominations.models import Nomination
from desadevisa.nominations.notices import visit_assigned_notify, visit_scheduled_notify
from desadevisa.nominations.services import nomination_transition
from desadevisa.registry.services import photos_process
from desadevisa.verification.models import (
    CRITERIA,
    Aspect,
    AspectScore,
    CriterionFinding,
    ProductReview,
    Visit,
    VisitPhoto,
    VisitState,
)
from desadevisa.verification.permissions import VisitAction, visit_can
from desadevisa.verification.positions import distance_km, photo_metadata, village_location

VISIT_FIELDS = ("overall_findings", "recommendation", "recommendation_note")


class VisitError(Exception):
    """A change the visit refuses; nothing was written. ``status`` is the HTTP answer."""

    status = 409

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


class VisitRefused(VisitError):
    """The person is not one of the visit's verifiers."""

    status = 403


class VisitAlreadySubmitted(VisitError):
    """The visit was submitted: it can no longer change, nor be submitted again."""


def _verifiers_check(*, nomination: Nomination, verifiers: Sequence) -> None:
    if not verifiers:
        raise ValidationError({"verifiers": gettext("Choose at least one verifier.")})
    ids = {user.pk for user in verifiers}
    holding = set(
        RoleAssignment.objects.filter(
            user_id__in=sorted(ids), role=Role.VERIFIER, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    errors = [
        gettext("%(name)s does not hold the verifier role.") % {"name": user.get_username()}
        for user in verifiers
        if user.pk not in holding
    ]
    if nomination.submitted_by_id in ids:
        errors.append(gettext("The person who submitted the nomination may not verify it."))
    if errors:
        raise ValidationError({"verifiers": errors})


def visit_schedule(
    *, nomination: Nomination, planned_on: datetime.date, verifiers: Iterable, actor
) -> Visit:
    """Plan the visit of a screened nomination by ``verifiers`` and take the workflow step
    ``schedule_visit``.

    WorkflowError when the actor may not take the step (403) or the nomination is not screened
    (409); ValidationError when a verifier does not hold the verifier role or submitted the
    nomination. Nothing is written then.
    """
    verifiers = list(verifiers)
    with transaction.atomic():
        current = nomination_transition(nomination=nomination, name="schedule_visit", actor=actor)
        _verifiers_check(nomination=current, verifiers=verifiers)
        visit = Visit(nomination=current, planned_on=planned_on, origin=current.origin)
        visit.full_clean()
        visit.save()
        visit.verifiers.set(verifiers)
        changes = audit_changes({}, audit_snapshot(visit))
        changes["verifiers"] = [None, sorted(user.get_username() for user in verifiers)]
        audit_record(actor=actor, action=AuditAction.CREATED, obj=visit, changes=changes)
        # The step's own notice found no visit yet: the team and the province are told now.
        visit_assigned_notify(visit=visit, actor=actor)
        visit_scheduled_notify(visit=visit, actor=actor)
    return visit


def _visit_lock(visit: Visit) -> Visit:
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("nomination__village__province")
        .get(pk=visit.pk)
    )


def _fillable_check(visit: Visit, actor) -> None:
    """Refuse a change to ``visit`` (locked) by ``actor``: 409 once submitted, 403 to anyone
    but its verifiers."""
    if not visit.is_planned:
        raise VisitAlreadySubmitted(
            gettext(
                "This visit was already submitted on %(when)s: it can no longer be changed "
                "or submitted again."
            )
            % {"when": formats.date_format(timezone.localtime(visit.submitted_at), "DATE_FORMAT")}
        )
    if not visit_can(user=actor, visit=visit, action=VisitAction.FILL):
        raise VisitRefused(gettext("Only the verifiers assigned to this visit may fill it in."))


@transaction.atomic
def visit_draft_save(*, visit: Visit, data: Mapping[str, Any], seen_version: str, actor) -> Visit:
    """Save what the team has filled in so far; allowed to the visit's verifiers while it is
    planned.

    ``data``: ``findings`` {criterion: {"finding", "note"}}, ``scores`` {aspect: {"score"
    (None to clear), "note"}}, ``reviews`` [{"sample_name", "quality_rating", "notes"}] (they
    replace the reviews saved before), and the visit's ``overall_findings``,
    ``recommendation``, ``recommendation_note``. EditConflict when saved since
    ``seen_version``; VisitError when submitted or not theirs.
    """
    current = _visit_lock(visit)
    _fillable_check(current, actor)
    if record_version(current) != seen_version:
        raise EditConflict
    changes = {
        **_findings_save(current, data.get("findings", {})),
        **_scores_save(current, data.get("scores", {})),
    }
    if "reviews" in data:
        changes.update(_reviews_replace(current, data["reviews"]))
    before = audit_snapshot(current, VISIT_FIELDS)
    for name in VISIT_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    changes.update(audit_changes(before, audit_snapshot(current, VISIT_FIELDS)))
    current.full_clean()
    # Saved even without a change: the new version tells the form its values arrived.
    current.save()
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            obj=current,
            changes=changes,
            summary="draft saved",
        )
    return current


@transaction.atomic
def visit_photo_add(
    *,
    visit: Visit,
    uploads: Sequence[UploadedFile],
    caption: str = "",
    criterion: int | None = None,
    actor,
) -> list[VisitPhoto]:
    """Add photos to a planned visit, each with the GPS position and time its EXIF records
    (none when it records none or cannot be read) and the distance to the village's location.

    ``criterion`` (1 to 4) attaches them as evidence of that criterion's finding. ValidationError
    naming each file that is not an acceptable picture; VisitError when submitted or not
    theirs. Nothing is stored then.
    """
    current = _visit_lock(visit)
    _fillable_check(current, actor)
    images = photos_process(uploads)
    # Read once the files are known to be acceptable pictures, before anything is stored.
    metadata = [photo_metadata(upload) for upload in uploads]
    finding = None
    if criterion is not None:
        finding, _created = CriterionFinding.objects.get_or_create(
            visit=current, criterion=criterion
        )
    location = village_location(current.nomination.village)
    last = current.photos.aggregate(last=Max("position"))["last"]
    position = 0 if last is None else last + 1
    added: list[VisitPhoto] = []
    try:
        for offset, (image, found) in enumerate(zip(images, metadata, strict=True)):
            photo = VisitPhoto(
                visit=current,
                criterion_finding=finding,
                caption=caption,
                position=position + offset,
                latitude=found.latitude,
                longitude=found.longitude,
                taken_at=found.taken_at,
                origin=current.origin,
            )
            if found.latitude is not None and location is not None:
                photo.distance_km = distance_km(found.latitude, found.longitude, *location)
            photo.set_image(image)
            added.append(photo)
            photo.full_clean()
            photo.save()
    except BaseException:
        # The files of a failed upload are written already: take them back.
        _delete_files([name for photo in added for name in photo.stored_files()])
        raise
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        obj=current,
        summary=ngettext("%(count)s photo added", "%(count)s photos added", len(added))
        % {"count": len(added)},
    )
    return added


@transaction.atomic
def visit_photo_delete(*, photo: VisitPhoto, actor) -> None:
    """Delete a photo of a planned visit; its files go once the deletion commits."""
    current = _visit_lock(photo.visit)
    _fillable_check(current, actor)
    files = photo.stored_files()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        obj=current,
        summary=gettext("Photo deleted: %(photo)s") % {"photo": photo},
    )
    photo.delete()
    transaction.on_commit(partial(_delete_files, files))


def _row_save(row, values: Mapping[str, Any], fields: tuple[str, ...], label: str) -> dict:
    before = audit_snapshot(row, fields) if row.pk else {}
    for name in fields:
        setattr(row, name, values.get(name, ""))
    row.full_clean()
    row.save()
    changes = audit_changes(before, audit_snapshot(row, fields))
    return {f"{label} {name}": change for name, change in changes.items()}


def _findings_save(visit: Visit, findings: Mapping[int, Mapping[str, Any]]) -> dict:
    changes = {}
    existing = {row.criterion: row for row in visit.criterion_findings.all()}
    for code, values in sorted(findings.items()):
        if int(code) in CRITERIA:
            row = existing.get(int(code)) or CriterionFinding(visit=visit, criterion=int(code))
            changes.update(_row_save(row, values, ("finding", "note"), f"criterion {code}"))
    return changes


def _scores_save(visit: Visit, scores: Mapping[str, Mapping[str, Any]]) -> dict:
    """Save the scores given; a score of None clears the aspect's."""
    changes = {}
    existing = {row.aspect: row for row in visit.aspect_scores.all()}
    for aspect, values in scores.items():
        if aspect not in Aspect.values:
            continue
        row = existing.get(aspect)
        if values.get("score") is None:
            if row is not None:
                changes[f"aspect {aspect} score"] = [row.score, None]
                row.delete()
            continue
        row = row or AspectScore(visit=visit, aspect=aspect)
        changes.update(_row_save(row, values, ("score", "note"), f"aspect {aspect}"))
    return changes


def _reviews_replace(visit: Visit, reviews: Sequence[Mapping[str, Any]]) -> dict:
    before = [str(row) for row in visit.product_reviews.all()]
    visit.product_reviews.all().delete()
    rows = [ProductReview(visit=visit, **values) for values in reviews]
    for row in rows:
        row.full_clean()
    ProductReview.objects.bulk_create(rows)
    after = [str(row) for row in rows]
    return {"product reviews": [before, after]} if before != after else {}


def visit_missing(visit: Visit) -> list[str]:
    """What ``visit`` still lacks before it may be submitted, as messages (empty: complete)."""
    missing = []
    answered = set(visit.criterion_findings.exclude(finding="").values_list("criterion", flat=True))
    for code, label in CriterionFinding._meta.get_field("criterion").choices:
        if code not in answered:
            missing.append(gettext("A finding on criterion %(criterion)s.") % {"criterion": label})
    scored = set(visit.aspect_scores.values_list("aspect", flat=True))
    for aspect in Aspect:
        if aspect.value not in scored:
            missing.append(gettext("A score for “%(aspect)s”.") % {"aspect": aspect.label})
    if not visit.product_reviews.exists():
        missing.append(gettext("At least one product review."))
    if not visit.recommendation:
        missing.append(gettext("A recommendation."))
    return missing


def visit_submit(*, visit: Visit, actor) -> Visit:
    """Submit a complete visit and take the workflow step ``record_visit`` (the nomination
    becomes visited).

    VisitAlreadySubmitted (409) for a second submission, VisitRefused (403) for anyone but its
    verifiers, ValidationError listing what is missing, WorkflowError when the nomination is no
    longer waiting for its visit. Nothing is written then.
    """
    with transaction.atomic():
        current = _visit_lock(visit)
        _fillable_check(current, actor)
        missing = visit_missing(current)
        if missing:
            raise ValidationError(missing)
        nomination_transition(nomination=current.nomination, name="record_visit", actor=actor)
        current.state = VisitState.SUBMITTED
        current.submitted_at = timezone.now()
        current.submitted_by = actor
        current.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITIONED,
            obj=current,
            changes={"state": [VisitState.PLANNED.value, VisitState.SUBMITTED.value]},
            summary="submitted",
        )
    return current


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
