"""The decision and designation pages, the certificate download, and the public verification
page of a certificate.

Staff pages fetch the record through a scoped selector first (404 outside the scope), then ask
the permission (403), then look at the method. The verification pages are public: they show a
certificate's status and what it certifies, never a person or the reason for a status.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_record
from desadevisa.core.editing import EditConflict
from desadevisa.core.pages import (
    FORM_METHODS,
    SAFE_METHODS,
    add_service_errors,
    refuse_method,
    require,
)
from desadevisa.core.site import absolute_url
from desadevisa.nominations.certificates import certificate_pdf
from desadevisa.nominations.designation_forms import (
    DECISION_REJECT,
    DesignationDecideForm,
    DesignationStatusForm,
    NominationRejectForm,
    VerificationCodeForm,
)
from desadevisa.nominations.designations import (
    NOMINATION_DECISION_STATES,
    designation_decide,
    designation_detail,
    designation_public_get,
    designation_status_change,
    verification_code_display,
    verification_code_normalise,
    verification_path,
)
from desadevisa.nominations.models import DesignationStatus, NominationState
from desadevisa.nominations.permissions import (
    NominationAction,
    ProgrammeAction,
    designation_can,
    nomination_can,
)
from desadevisa.nominations.selectors import nomination_get
from desadevisa.nominations.services import nomination_transition
from desadevisa.nominations.workflow import WorkflowError

# The verification page may be kept by browsers and shared caches this long: a revocation
# shows everywhere within five minutes.
VERIFY_CACHE_SECONDS = 300


def designation_url(designation) -> str:
    return reverse("nominations:designation-detail", kwargs={"pk": designation.pk})


# Decision ------------------------------------------------------------------------------------


@never_cache
@staff_required
def nomination_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Designate a visited nomination by decree, or reject a screened or visited one with
    reasons (programme officers): 409 when it is not waiting for a decision."""
    nomination = nomination_get(user=request.user, pk=pk)
    require(
        nomination_can(user=request.user, nomination=nomination, action=NominationAction.DECIDE)
    )
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    if nomination.state not in NOMINATION_DECISION_STATES:
        error = _("This nomination is not waiting for a decision: it is now “%(state)s”.") % {
            "state": nomination.get_state_display()
        }
        return _decide_page(request, nomination, error=error, status=409)
    if request.method != "POST":
        return _decide_page(request, nomination)
    if request.POST.get("decision") == DECISION_REJECT:
        return _reject(request, nomination)
    return _designate(request, nomination)


def _designate(request: HttpRequest, nomination) -> HttpResponse:
    form = DesignationDecideForm(request.POST)
    if not form.is_valid():
        return _decide_page(request, nomination, designate_form=form, status=400)
    try:
        designation = designation_decide(
            nomination=nomination, actor=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _decide_page(request, nomination, designate_form=form, status=400)
    except WorkflowError as error:
        return _decide_page(request, nomination, error=str(error), status=error.status)
    messages.success(request, _("The village is designated. Its certificate is ready."))
    return redirect(designation_url(designation))


def _reject(request: HttpRequest, nomination) -> HttpResponse:
    form = NominationRejectForm(request.POST)
    if not form.is_valid():
        return _decide_page(request, nomination, reject_form=form, status=400)
    try:
        nomination_transition(
            nomination=nomination,
            name="reject",
            actor=request.user,
            comment=form.cleaned_data["comment"],
        )
    except WorkflowError as error:
        return _decide_page(request, nomination, error=str(error), status=error.status)
    messages.success(request, _("The nomination is rejected; the province can read the reasons."))
    return redirect("nominations:nomination-detail", pk=nomination.pk)


def _decide_page(
    request, nomination, *, error=None, status=200, designate_form=None, reject_form=None
) -> HttpResponse:
    waiting = nomination.state in NOMINATION_DECISION_STATES and status != 409
    context = {
        "nomination": nomination,
        "error": error,
        "may_designate": waiting and nomination.state == NominationState.VISITED,
        "may_reject": waiting,
        "designate_form": designate_form or DesignationDecideForm(),
        "reject_form": reject_form or NominationRejectForm(),
        "shows_demo_data": nomination.is_demo,
    }
    return render(request, "nominations/designation_decide.html", context, status=status)


# Designation ---------------------------------------------------------------------------------


@never_cache
@staff_required
def designation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A designation: its decree, status, verification code and certificate."""
    designation = designation_detail(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    return _detail_page(request, designation)


@never_cache
@staff_required
def designation_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a designation's status with a reason (national roles): 409 when someone changed
    it since the form was drawn, 400 without a required reason."""
    designation = designation_detail(user=request.user, pk=pk)
    require(
        designation_can(user=request.user, designation=designation, action=ProgrammeAction.CHANGE)
    )
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    if request.method != "POST":
        return _detail_page(request, designation)
    form = DesignationStatusForm(request.POST, designation=designation)
    if not form.is_valid():
        return _detail_page(request, designation, form=form, status=400)
    try:
        designation_status_change(
            designation=designation,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            seen_version=form.cleaned_data["seen_version"],
            actor=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail_page(request, designation, form=form, status=400)
    except (EditConflict, WorkflowError) as error:
        # Saved by someone else meanwhile (409), refused (403) or already in that status (409).
        status = getattr(error, "status", 409)
        return _detail_page(request, designation, form=form, error=str(error), status=status)
    messages.success(request, _("The status of the designation was saved."))
    return redirect(designation_url(designation))


@never_cache
@staff_required
def designation_certificate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate PDF of a designation, for its readers; 409 unless it is designated."""
    designation = designation_detail(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    if designation.status != DesignationStatus.DESIGNATED:
        error = _(
            "There is no certificate while the designation is “%(status)s”: only a designated "
            "village has one."
        ) % {"status": designation.get_status_display()}
        return _detail_page(request, designation, error=error, status=409)
    code = designation.verification_code
    pdf = certificate_pdf(
        designation=designation,
        verify_url=absolute_url(verification_path(code)),
    )
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORTED,
        obj=designation,
        summary="certificate",
        province_code=designation.nomination.village.province_id,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-desa-devisa-{code}.pdf"'
    return response


def _detail_page(request, designation, *, form=None, error=None, status=200) -> HttpResponse:
    may_change = designation_can(
        user=request.user, designation=designation, action=ProgrammeAction.CHANGE
    )
    if may_change and form is None:
        form = DesignationStatusForm(designation=designation)
    context = {
        "designation": designation,
        "nomination": designation.nomination,
        "code_display": verification_code_display(designation.verification_code),
        "verify_path": reverse(
            "verify:certificate", kwargs={"code": designation.verification_code}
        ),
        "has_certificate": designation.status == DesignationStatus.DESIGNATED,
        "form": form if may_change else None,
        "error": error,
        "shows_demo_data": designation.is_demo,
    }
    return render(request, "nominations/designation_detail.html", context, status=status)


# Public verification -------------------------------------------------------------------------


def verify_lookup_view(request: HttpRequest) -> HttpResponse:
    """The form to type a certificate's code (GET); a code goes to its page."""
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    typed = request.GET.get("code", "")
    if not typed.strip():
        return _verify_page(request, verdict=None, form=VerificationCodeForm())
    code = verification_code_normalise(typed)
    if code is None:
        return _verify_unknown(request, typed)
    return redirect("verify:certificate", code=code)


def verify_certificate_view(request: HttpRequest, code: str) -> HttpResponse:
    """Whether the certificate with ``code`` is genuine and valid; 404 for a code no
    certificate has. A code typed in lower case or with separators goes to its plain form."""
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    normalised = verification_code_normalise(code)
    if normalised is None:
        return _verify_unknown(request, code)
    if normalised != code:
        return redirect("verify:certificate", code=normalised)
    designation = designation_public_get(code=normalised)
    if designation is None:
        return _verify_unknown(request, code)
    return _verify_page(request, verdict=designation.status, designation=designation)


def _verify_unknown(request: HttpRequest, typed: str) -> HttpResponse:
    form = VerificationCodeForm(initial={"code": typed[:40]})
    return _verify_page(request, verdict="unknown", form=form, status=404)


def _verify_page(request, *, verdict, designation=None, form=None, status=200) -> HttpResponse:
    context = {"verdict": verdict, "form": form, "designation": designation}
    if designation is not None:
        village = designation.nomination.village
        context.update(
            village=village,
            regency=village.district.regency,
            province=village.province,
            product=designation.nomination.flagship_product,
            cycle=designation.nomination.cycle,
            code_display=verification_code_display(designation.verification_code),
            status_since=timezone.localdate(designation.updated_at),
            shows_demo_data=designation.is_demo,
        )
    response = render(request, "nominations/verify.html", context, status=status)
    if request.user.is_authenticated:
        # The header names the signed-in person: keep that page out of shared caches.
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=VERIFY_CACHE_SECONDS)
    return response
