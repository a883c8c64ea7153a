"""Import pages: start (choose the kind, upload), the job with its progress and preview, the
confirmation that applies it, and the templates to fill in."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from desadevisa.accounts.decorators import staff_required
from desadevisa.imports.downloads import TEMPLATE_FORMATS, TEMPLATE_LANGUAGES, template_response
from desadevisa.imports.forms import ImportStartForm
from desadevisa.imports.models import ImportKind
from desadevisa.imports.permissions import import_kinds_allowed
from desadevisa.imports.reading import ImportFileError
from desadevisa.imports.selectors import import_job_get, import_job_list
from desadevisa.imports.services import (
    ImportNotReady,
    ImportTooLarge,
    import_job_apply_start,
    import_job_check_start,
    import_job_create,
    import_job_progress,
)


@never_cache
@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_start_view(request: HttpRequest) -> HttpResponse:
    """Choose the kind and upload the file; a file refused as a whole is answered here."""
    form = ImportStartForm(request.POST or None, request.FILES or None, user=request.user)
    status, error = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                job = import_job_create(
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    actor=request.user,
                    language=translation.get_language(),
                )
            except ImportTooLarge as refusal:
                status, error = 413, str(refusal)
            except ImportFileError as refusal:
                error = str(refusal)
            else:
                import_job_check_start(job=job)
                return redirect("imports:job-detail", pk=job.pk)
    return render(
        request, "imports/import_start.html", _start_context(request, form, error), status=status
    )


def _start_context(request: HttpRequest, form: ImportStartForm, error: str) -> dict:
    allowed = import_kinds_allowed(user=request.user)
    return {
        "form": form,
        "error": error,
        "kinds": [(value, label) for value, label in ImportKind.choices if value in allowed],
        "jobs": import_job_list(user=request.user),
    }


@never_cache
@staff_required
def import_job_detail_view(request: HttpRequest, pk) -> HttpResponse:
    """The job: its progress while it runs (htmx polls ``#progress``), then its preview or
    its errors, then its result."""
    job = import_job_get(user=request.user, pk=pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    processed, total = import_job_progress(job)
    context = {"job": job, "processed": processed, "total": total}
    if request.htmx:
        if not job.is_running:
            # Done: the whole page changes (preview, errors or result), not just the bar.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "imports/import_job_detail.html#progress", context)
    return render(request, "imports/import_job_detail.html", context)


@never_cache
@staff_required
def import_job_apply_view(request: HttpRequest, pk) -> HttpResponse:
    """Apply a checked job, all or nothing (POST)."""
    job = import_job_get(user=request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        import_job_apply_start(job=job, actor=request.user)
    except ImportNotReady as refusal:
        processed, total = import_job_progress(job)
        context = {"job": job, "processed": processed, "total": total, "error": str(refusal)}
        return render(request, "imports/import_job_detail.html", context, status=409)
    return redirect("imports:job-detail", pk=job.pk)


@never_cache
@staff_required
@require_http_methods(["GET", "HEAD"])
def import_template_view(request: HttpRequest) -> HttpResponse:
    """The empty file of ``?kind=`` as ``?format=csv|xlsx``, headers in ``?language=id|en``
    (the page's language by default)."""
    kind = request.GET.get("kind", ImportKind.CRAFT_UNITS)
    file_format = request.GET.get("format", "csv")
    language = request.GET.get("language", translation.get_language())
    if (
        kind not in ImportKind.values
        or file_format not in TEMPLATE_FORMATS
        or language not in TEMPLATE_LANGUAGES
    ):
        raise Http404
    return template_response(kind=kind, file_format=file_format, language=language)
