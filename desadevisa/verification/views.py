"""The verification pages: scheduling a visit, the visits list, the visit form with its photos,
submission, the read-only visit page, the photos and the visit report.

Every page about a visit fetches it through ``visit_get`` first (404 outside the scope), then
asks the permission (403), then looks at the method and the visit's state (409 once submitted).
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.core.editing import EditConflict
from desadevisa.core.pages import (
    FORM_METHODS,
    SAFE_METHODS,
    add_service_errors,
    list_response,
    posted,
    refuse_method,
    require,
)
from desadevisa.core.uploads import image_response
from desadevisa.nominations.models import NominationState
from desadevisa.nominations.screening import nomination_screen
from desadevisa.nominations.selectors import nomination_get
from desadevisa.nominations.workflow import WorkflowError
from desadevisa.verification.forms import (
    ProductReviewFormSet,
    VisitForm,
    VisitPhotoForm,
    VisitScheduleForm,
    review_initial,
)
from desadevisa.verification.lists import visit_definition
from desadevisa.verification.models import Visit
from desadevisa.verification.permissions import VisitAction, visit_can, visit_may_schedule
from desadevisa.verification.selectors import (
    visit_get,
    visit_list,
    visit_photo_get,
    visit_record,
)
from desadevisa.verification.services import (
    VisitError,
    visit_draft_save,
    visit_missing,
    visit_photo_add,
    visit_photo_delete,
    visit_schedule,
    visit_submit,
)

REVIEWS_PREFIX = "reviews"


def visit_url(visit: Visit, name: str = "visit-detail") -> str:
    return reverse(f"verification:{name}", kwargs={"pk": visit.pk})


def _fillable(request: HttpRequest, pk: int) -> Visit:
    """The visit ``pk`` for one of its verifiers: 404 outside the scope, 403 to other readers."""
    visit = visit_get(user=request.user, pk=pk)
    require(visit_can(user=request.user, visit=visit, action=VisitAction.FILL))
    return visit


def _detail(request, visit: Visit, *, error: str = "", status: int = 200) -> HttpResponse:
    record = visit_record(visit=visit)
    return render(
        request,
        "verification/visit_detail.html",
        {
            "record": record,
            "visit": visit,
            "may_fill": visit.is_planned
            and visit_can(user=request.user, visit=visit, action=VisitAction.FILL),
            "error": error,
            "shows_demo_data": visit.is_demo,
            "max_km": settings.VISIT_PHOTO_MAX_DISTANCE_KM,
        },
        status=status,
    )


@never_cache
@staff_required
def visit_list_view(request: HttpRequest) -> HttpResponse:
    """The visits in the person's scope ("My visits" for a verifier): search, filter, export."""
    return list_response(
        request, visit_list(user=request.user), visit_definition(), "verification/visit_list.html"
    )


@never_cache
@staff_required
def visit_schedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the visit of a screened nomination and assign its verifiers (national roles)."""
    nomination = nomination_get(user=request.user, pk=pk)
    require(visit_may_schedule(user=request.user, nomination=nomination))
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    form = VisitScheduleForm(posted(request), nomination=nomination)
    error, status = "", 200
    if nomination.state != NominationState.SCREENED:
        error = _(
            "Only a screened nomination can have its visit scheduled; this one is “%(state)s”."
        ) % {"state": nomination.get_state_display()}
        status = 409
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                visit = visit_schedule(
                    nomination=nomination,
                    planned_on=form.cleaned_data["planned_on"],
                    verifiers=form.cleaned_data["verifiers"],
                    actor=request.user,
                )
            except WorkflowError as refusal:
                error, status = str(refusal), refusal.status
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, _("The visit was scheduled."))
                return redirect(visit_url(visit))
    context = {"nomination": nomination, "form": form, "error": error}
    return render(request, "verification/visit_schedule.html", context, status=status)


@never_cache
@staff_required
def visit_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A visit as recorded: findings, reviews, scores and their total, photos, recommendation."""
    visit = visit_get(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    return _detail(request, visit)


def _already_submitted(request, visit: Visit) -> HttpResponse:
    message = _("This visit was submitted: it can no longer be changed.")
    return _detail(request, visit, error=message, status=409)


@never_cache
@staff_required
def visit_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit form (its verifiers, while planned): "Save draft" keeps what is filled in."""
    visit = _fillable(request, pk)
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    if not visit.is_planned:
        return _already_submitted(request, visit)
    record = visit_record(visit=visit)
    form = VisitForm(posted(request), initial=VisitForm.initial_from(record))
    reviews = ProductReviewFormSet(
        posted(request), initial=review_initial(record), prefix=REVIEWS_PREFIX
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and reviews.is_valid():
            try:
                visit_draft_save(
                    visit=visit,
                    data={**form.draft(), "reviews": reviews.reviews()},
                    seen_version=form.cleaned_data["seen_version"],
                    actor=request.user,
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                status = 409
            except VisitError as refusal:
                form.add_error(None, str(refusal))
                status = refusal.status
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                if "review" in request.POST:
                    return redirect(visit_url(visit, "visit-submit"))
                messages.success(request, _("The draft was saved."))
                return redirect(visit_url(visit, "visit-update"))
    return _form_page(request, record, form, reviews, status=status)


def _form_page(request, record, form, reviews, *, status: int = 200, photo_form=None):
    screening = nomination_screen(nomination=record.visit.nomination)
    explanations = {criterion.criterion: criterion for criterion in screening.criteria}
    evidence = Counter(
        photo.criterion_finding.criterion for photo in record.photos if photo.criterion_finding
    )
    rows = [
        (finding, note, explanations.get(code), evidence[code])
        for code, finding, note in form.criterion_rows()
    ]
    return render(
        request,
        "verification/visit_form.html",
        {
            "record": record,
            "visit": record.visit,
            "form": form,
            "reviews": reviews,
            "criterion_rows": rows,
            "photo_form": photo_form or VisitPhotoForm(),
            "shows_demo_data": record.visit.is_demo,
            "max_km": settings.VISIT_PHOTO_MAX_DISTANCE_KM,
        },
        status=status,
    )


@never_cache
@staff_required
def visit_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and submit (POST) the visit: the nomination becomes visited."""
    visit = _fillable(request, pk)
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    missing, error, status = [], "", 200
    if request.method == "POST":
        try:
            visit_submit(visit=visit, actor=request.user)
        except (VisitError, WorkflowError) as refusal:
            error, status = str(refusal), refusal.status
        except ValidationError as invalid:
            missing, status = invalid.messages, 400
        else:
            messages.success(request, _("The visit was submitted: the nomination is now visited."))
            return redirect(visit_url(visit))
    elif not visit.is_planned:
        return _already_submitted(request, visit)
    else:
        missing = visit_missing(visit)
    context = {"visit": visit, "missing": missing, "error": error}
    return render(request, "verification/visit_submit.html", context, status=status)


@never_cache
@staff_required
def visit_photo_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload photos of the visit, with their position read from the camera's data."""
    visit = _fillable(request, pk)
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    if not visit.is_planned:
        return _already_submitted(request, visit)
    form = VisitPhotoForm(posted(request), request.FILES if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                visit_photo_add(
                    visit=visit,
                    uploads=form.cleaned_data["photos"],
                    caption=form.cleaned_data["caption"],
                    criterion=form.cleaned_data["criterion"],
                    actor=request.user,
                )
            except VisitError as refusal:
                form.add_error(None, str(refusal))
                status = refusal.status
            except ValidationError as invalid:
                form.add_error("photos", invalid.error_list)
            else:
                messages.success(request, _("The photos were added."))
                return redirect(f"{visit_url(visit, 'visit-update')}#photos")
    context = {"visit": visit, "photo_form": form}
    return render(request, "verification/visit_photo_form.html", context, status=status)


@never_cache
@staff_required
def visit_photo_delete_view(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """Confirm (GET) and delete (POST) a photo of a planned visit."""
    photo = visit_photo_get(user=request.user, visit_pk=pk, pk=photo_pk)
    visit = _fillable(request, pk)
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    error, status = "", 200
    if request.method == "POST":
        try:
            visit_photo_delete(photo=photo, actor=request.user)
        except VisitError as refusal:
            error, status = str(refusal), refusal.status
        else:
            messages.success(request, _("The photo was deleted."))
            return redirect(f"{visit_url(visit, 'visit-update')}#photos")
    context = {
        "visit": visit,
        "photo": photo,
        "error": error,
        "max_km": settings.VISIT_PHOTO_MAX_DISTANCE_KM,
    }
    return render(request, "verification/visit_photo_delete.html", context, status=status)


@staff_required
def visit_photo_view(request: HttpRequest, pk: int, photo_pk: int, rendition: str) -> HttpResponse:
    """A rendition (thumbnail, card or full) of a visit photo, for the visit's readers."""
    photo = visit_photo_get(user=request.user, visit_pk=pk, pk=photo_pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    try:
        stored = photo.rendition(rendition)
    except KeyError:
        raise Http404 from None
    response = image_response(request, stored, public=False)
    # Evidence is private (SECURITY AC-7): opened on its own, it downloads; <img> still shows it.
    name = f"visit-{photo.visit_id}-photo-{photo.pk}-{rendition}.jpg"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@staff_required
def visit_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit report as a PDF download, for the visit's readers."""
    visit = visit_get(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    # Loaded only when a report is drawn: importing WeasyPrint parses its own stylesheets.
    from desadevisa.verification.reports import visit_report_pdf

    pdf = visit_report_pdf(record=visit_record(visit=visit))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"visit-report-{visit.nomination.village_id}-{visit.planned_on:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
