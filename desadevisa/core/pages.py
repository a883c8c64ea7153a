"""What the staff pages of every app share: lists with their export, form pages, delete pages.

Every page fetches its record through a scoped selector first (404 outside the scope), then
asks the permission (403), then looks at the method (405): only those who may read a record
learn that it exists, and which methods its page takes.

A list's download is announced with the ``list_exported`` signal (sender: the list's
definition; ``user``, ``rows``), which the audit trail records: the pages know nothing of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from desadevisa.core.editing import EditConflict, RecordInUse
from desadevisa.core.lists import ListDefinition, list_export, list_page

SAFE_METHODS = ["GET", "HEAD"]
FORM_METHODS = ["GET", "HEAD", "POST"]

list_exported = Signal()


def require(allowed: bool) -> None:
    """403 unless ``allowed``; call after the scoped fetch."""
    if not allowed:
        raise PermissionDenied


def posted(request: HttpRequest):
    """The form data of a POST, or None to draw an unbound form."""
    return request.POST if request.method == "POST" else None


def refuse_method(request: HttpRequest, methods: list[str]) -> HttpResponse | None:
    """The 405 answer for a method outside ``methods``, else None."""
    if request.method not in methods:
        return HttpResponseNotAllowed(methods)
    return None


def list_response(
    request: HttpRequest,
    rows: QuerySet,
    definition: ListDefinition,
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The list page of ``rows`` (scoped), or its export, announced with ``list_exported``."""
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    listing = list_page(request, rows, definition)
    if listing.export_format:
        list_exported.send(sender=definition, user=request.user, rows=listing.page.paginator.count)
        return list_export(listing, definition)
    return render(
        request,
        template,
        {
            "listing": listing,
            "definition": definition,
            "page": listing.page,
            "shows_demo_data": listing.shows_demo_data,
            **(context or {}),
        },
    )


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, if the form has it,
    else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    save: Callable[[forms.BaseForm], Any],
    template: str,
    context: dict[str, Any],
    success_message: str,
    success_url: Callable[[Any], str],
) -> HttpResponse:
    """Draw ``form`` (GET) or save it (POST) with ``save(form)``, then go to
    ``success_url(result)`` with a message.

    Invalid input answers 400 with the errors; a record saved by someone else since the form
    was opened answers 409 with the explanation, and nothing is written.
    """
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = save(form)
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, success_message)
                return redirect(success_url(result))
        else:
            status = 400
    return render(request, template, {"form": form, **context}, status=status)


def delete_page(
    request: HttpRequest,
    *,
    record: Any,
    delete: Callable[[], None],
    context: dict[str, Any],
    success_message: str,
    success_url: str,
) -> HttpResponse:
    """Ask to confirm (GET), delete (POST) and go to ``success_url``; 409 with the reason when
    other records still depend on ``record``."""
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    error, status = None, 200
    if request.method == "POST":
        try:
            delete()
        except RecordInUse as in_use:
            error, status = str(in_use), 409
        else:
            messages.success(request, success_message)
            return redirect(success_url)
    return render(
        request,
        "core/record_delete.html",
        {"record": record, "error": error, **context},
        status=status,
    )
