"""The staff's inquiry pipeline: the list (with its CSV and XLSX export), one inquiry, and
its moves.

Every inquiry is fetched through the scoped selector first (404 outside the scope, whatever the
method), then the right to move it is checked (403), then the method (405). The buyer's
personal data appears only on the detail page and in the export, to the inquiry's handlers
(``selectors.inquiry_contact_visibility``: provincial officers read none); both are recorded
in the audit trail, and every page here is sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.core.lists import Column, Filter, ListDefinition, Sort, list_export, list_page
from desadevisa.inquiries.forms import InquiryMoveForm
from desadevisa.inquiries.models import Inquiry, InquiryStatus
from desadevisa.inquiries.permissions import InquiryAction, inquiry_can
from desadevisa.inquiries.selectors import (
    inquiry_contacts_read,
    inquiry_detail,
    inquiry_exhibitions,
    inquiry_get,
    inquiry_list,
    inquiry_products,
    inquiry_provinces,
    inquiry_shipment_choices,
)
from desadevisa.inquiries.services import (
    InquiryMoveError,
    inquiry_export_record,
    inquiry_move,
    inquiry_targets,
    inquiry_view_record,
)

SAFE_METHODS = ["GET", "HEAD"]


def _contact(field: str):
    # Empty on the rows whose buyer the reader may not know (``contact_shown``, the selector's).
    return lambda row: getattr(row, field) if row.contact_shown else ""


INQUIRY_COLUMNS = (
    Column("id", _("Inquiry"), "pk"),
    Column("received_at", _("Received at"), "created_at"),
    Column("status", _("Status"), lambda row: row.get_status_display()),
    Column("product", _("Product (Indonesian name)"), "product.name_id"),
    Column("village_code", _("Village code"), "product.village_id"),
    Column("province", _("Province"), "product.village.province.name"),
    Column("country", _("Country (ISO code)"), "country_id"),
    Column("quantity", _("Quantity"), "quantity"),
    Column("exhibition", _("Exhibition"), "exhibition.slug"),
    Column("shipment", _("Export shipment"), "shipment_id"),
    Column("lost_reason", _("Reason it was lost"), "lost_reason"),
    Column("language", _("Language"), "language"),
    Column("name", _("Name"), _contact("name")),
    Column("company", _("Company"), _contact("company")),
    Column("email", _("E-mail address"), _contact("email")),
    Column("phone", _("Phone number"), _contact("phone")),
    Column("message", _("Message"), _contact("message")),
    Column("anonymised_at", _("Anonymised at"), "anonymised_at"),
)
CONTACT_FIELDS = frozenset({"name", "company", "email", "phone", "message"})
COLUMNS_WITHOUT_CONTACT = tuple(c for c in INQUIRY_COLUMNS if c.name not in CONTACT_FIELDS)


def inquiry_list_definition(user) -> ListDefinition:
    """The pipeline list's search (product names), filters (status, province, product,
    exhibition, each from what ``user`` reads), sorts and export columns."""
    return ListDefinition(
        search=lambda rows, query: (
            rows.filter(product__name_id__icontains=query)
            | rows.filter(product__name_en__icontains=query)
        ),
        filters=(
            Filter(
                "status",
                _("Status"),
                lambda: [(status.value, str(status.label)) for status in InquiryStatus],
                lambda rows, value: rows.filter(status=value),
            ),
            Filter(
                "province",
                _("Province"),
                lambda: [(p.code, p.name) for p in inquiry_provinces(user=user)],
                lambda rows, value: rows.filter(product__village__province_id=value),
            ),
            Filter(
                "product",
                _("Product"),
                lambda: [(str(p.pk), p.name_id) for p in inquiry_products(user=user)],
                lambda rows, value: rows.filter(product_id=int(value)),
            ),
            Filter(
                "exhibition",
                _("Exhibition"),
                lambda: [(e.slug, e.name_en) for e in inquiry_exhibitions(user=user)],
                lambda rows, value: rows.filter(exhibition__slug=value),
            ),
        ),
        sorts=(
            Sort("received", _("Received, latest first"), ("-created_at", "-pk")),
            Sort("status", _("Status"), ("status", "-created_at", "-pk")),
            Sort("product", _("Product"), ("product__name_id", "-created_at", "-pk")),
        ),
        columns=(INQUIRY_COLUMNS if inquiry_contacts_read(user=user) else COLUMNS_WITHOUT_CONTACT),
        export_name="inquiries",
    )


@never_cache
@staff_required
def inquiry_list_view(request: HttpRequest) -> HttpResponse:
    """The inquiries in the user's scope, without personal data; every row with it as CSV or
    XLSX with ``?export=`` (recorded in the audit trail)."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    definition = inquiry_list_definition(request.user)
    listing = list_page(request, inquiry_list(user=request.user), definition)
    if listing.export_format:
        inquiry_export_record(actor=request.user, count=listing.page.paginator.count)
        return list_export(listing, definition)
    return render(
        request,
        "inquiries/inquiry_list.html",
        {
            "listing": listing,
            "definition": definition,
            "reads_contacts": inquiry_contacts_read(user=request.user),
            "shows_demo_data": listing.shows_demo_data,
        },
    )


def _detail_page(request, inquiry: Inquiry, *, form=None, status=200, error="") -> HttpResponse:
    may_move = inquiry_can(user=request.user, inquiry=inquiry, action=InquiryAction.MOVE)
    targets = inquiry_targets(inquiry.status)
    if may_move and targets and form is None:
        form = _move_form(request, inquiry, targets)
    inquiry_view_record(inquiry=inquiry, actor=request.user)
    return render(
        request,
        "inquiries/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "events": list(inquiry.events.all()),
            "form": form if may_move and targets else None,
            "error": error,
            "shows_demo_data": inquiry.is_demo,
        },
        status=status,
    )


def _move_form(request, inquiry: Inquiry, targets, data=None) -> InquiryMoveForm:
    return InquiryMoveForm(
        data,
        inquiry=inquiry,
        targets=targets,
        shipments=inquiry_shipment_choices(user=request.user, inquiry=inquiry).select_related(
            "product", "destination"
        ),
    )


@never_cache
@staff_required
def inquiry_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One inquiry with the buyer's details, its history and the next step, for its handlers
    only (404 to provincial officers); opening it is recorded in the audit trail."""
    inquiry = inquiry_detail(user=request.user, pk=pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    return _detail_page(request, inquiry)


@never_cache
@staff_required
def inquiry_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the inquiry along the pipeline (POST): 400 for an incomplete form, 409 for a move
    the pipeline does not allow or that someone else made first."""
    inquiry = inquiry_get(user=request.user, pk=pk)
    if not inquiry_can(user=request.user, inquiry=inquiry, action=InquiryAction.MOVE):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = _move_form(request, inquiry, inquiry_targets(inquiry.status), data=request.POST)
    if not form.is_valid():
        return _detail_page(
            request, inquiry_detail(user=request.user, pk=pk), form=form, status=400
        )
    try:
        inquiry_move(inquiry=inquiry, actor=request.user, **form.cleaned_data)
    except InquiryMoveError as refusal:
        fresh = inquiry_detail(user=request.user, pk=pk)
        return _detail_page(request, fresh, status=refusal.status, error=refusal.message)
    messages.success(request, gettext("The inquiry was moved."))
    return redirect("inquiries:detail", pk=pk)
