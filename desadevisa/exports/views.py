"""Staff pages of export shipments, their totals and the exchange-rate table.

Every object is fetched through its scoped selector first (404 outside the scope, whatever the
method), then the person's right to act on it is checked (403), then the method (405).
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.audit.models import AuditAction
from desadevisa.audit.selectors import audit_history
from desadevisa.audit.services import audit_record
from desadevisa.core.editing import EditConflict
from desadevisa.core.lists import (
    Column,
    Filter,
    ListDefinition,
    Sort,
    csv_lines,
    list_export,
    list_page,
    xlsx_file,
)
from desadevisa.core.models import DataOrigin
from desadevisa.core.uploads import file_response
from desadevisa.exports.forms import ExchangeRateForm, ExportShipmentForm, ShipmentTotalsForm
from desadevisa.exports.permissions import (
    ExchangeRateAction,
    ExportAction,
    exchange_rate_can,
    export_shipment_can,
    export_shipment_can_create,
)
from desadevisa.exports.selectors import (
    exchange_rate_currencies,
    exchange_rate_get,
    exchange_rate_scope,
    export_shipment_detail,
    export_shipment_get,
    export_shipment_list,
    export_shipment_provinces,
    export_shipment_scope,
    export_shipment_sums,
    export_shipment_totals,
    export_shipment_years,
)
from desadevisa.exports.services import (
    CENT,
    ExportError,
    exchange_rate_create,
    exchange_rate_delete,
    exchange_rate_update,
    export_shipment_create,
    export_shipment_delete,
    export_shipment_update,
)
from desadevisa.exports.spreadsheets import EXPORT_SHIPMENT_COLUMNS
from desadevisa.regions.models import Country

SAFE_METHODS = ["GET", "HEAD"]
FORM_METHODS = ["GET", "HEAD", "POST"]


def _shipment_search(shipments: QuerySet, query: str) -> QuerySet:
    return shipments.filter(
        Q(product__name_id__icontains=query)
        | Q(product__name_en__icontains=query)
        | Q(peb_number__startswith=query)
    )


def shipment_list_definition(user) -> ListDefinition:
    """The shipment list's search, filters (year, country, province and currency of the
    shipments ``user`` reads), sorts and export columns."""

    def countries():
        shipments = export_shipment_list(user=user).select_related(None)
        rows = Country.objects.filter(code__in=shipments.values("destination_id"))
        return [(country.code, country.name_en) for country in rows.order_by("name_en")]

    def currencies():
        shipments = export_shipment_list(user=user).select_related(None).order_by("currency")
        return [(code, code) for code in shipments.values_list("currency", flat=True).distinct()]

    return ListDefinition(
        search=_shipment_search,
        filters=(
            Filter(
                "year",
                _("Year"),
                lambda: [(str(year), str(year)) for year in export_shipment_years(user=user)],
                lambda rows, value: rows.filter(shipped_on__year=int(value)),
            ),
            Filter(
                "country",
                _("Destination country"),
                countries,
                lambda rows, value: rows.filter(destination_id=value),
            ),
            Filter(
                "province",
                _("Province"),
                lambda: [(p.code, p.name) for p in export_shipment_provinces(user=user)],
                lambda rows, value: rows.filter(product__village__province_id=value),
            ),
            Filter(
                "currency",
                _("Currency"),
                currencies,
                lambda rows, value: rows.filter(currency=value),
            ),
        ),
        sorts=(
            Sort("date", _("Date, latest first"), ("-shipped_on", "-pk")),
            Sort("value", _("Value in USD, largest first"), ("-value_usd", "-pk")),
            Sort("product", _("Product"), ("product__name_id", "-shipped_on", "pk")),
        ),
        columns=EXPORT_SHIPMENT_COLUMNS,
        export_name="export-shipments",
    )


def _exported(request: HttpRequest, name: str, count: int) -> None:
    audit_record(actor=request.user, action=AuditAction.EXPORTED, summary=f"{name}: {count} rows")


# Shipments ----------------------------------------------------------------------------------


@never_cache
@staff_required
def shipment_list_view(request: HttpRequest) -> HttpResponse:
    """The shipments in the user's scope with the totals of what the filter shows; the same
    rows as CSV or XLSX with ``?export=``."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    definition = shipment_list_definition(request.user)
    listing = list_page(request, export_shipment_list(user=request.user), definition)
    if listing.export_format:
        _exported(request, definition.export_name, listing.page.paginator.count)
        return list_export(listing, definition)
    return render(
        request,
        "exports/shipment_list.html",
        {
            "listing": listing,
            "definition": definition,
            "sums": export_shipment_sums(listing.rows),
            "can_create": export_shipment_can_create(user=request.user),
            "shows_demo_data": listing.shows_demo_data,
        },
    )


@never_cache
@staff_required
def shipment_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One shipment with its history; 404 outside the user's scope, whatever the method."""
    shipment = export_shipment_detail(user=request.user, pk=pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    return render(
        request,
        "exports/shipment_detail.html",
        {
            "shipment": shipment,
            "events": audit_history(obj=shipment),
            "can_change": export_shipment_can(
                user=request.user, shipment=shipment, action=ExportAction.CHANGE
            ),
            "shows_demo_data": shipment.is_demo or shipment.product.is_demo,
        },
    )


def _shipment_form_page(request, form, *, shipment=None, status=200) -> HttpResponse:
    return render(
        request,
        "exports/shipment_form.html",
        {
            "form": form,
            "shipment": shipment,
            "countries": Country.objects.order_by("name_en").values_list("name_en", "code"),
            "has_products": shipment is not None or form.fields["product"].queryset.exists(),
            "shows_demo_data": shipment is not None and shipment.is_demo,
        },
        status=status,
    )


def _shipment_save(request, form, save) -> HttpResponse | None:
    """Run ``save()`` for a valid ``form``: the shipment's page, or None with the refusal added
    to the form."""
    try:
        shipment = save()
    except ExportError as error:
        form.add_error(None, error.message)
    else:
        return redirect("exports:shipment-detail", pk=shipment.pk)
    return None


@never_cache
@staff_required
def shipment_create_view(request: HttpRequest) -> HttpResponse:
    """Record a shipment of a product the user may change."""
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if request.method != "POST":
        return _shipment_form_page(request, ExportShipmentForm(user=request.user))
    form = ExportShipmentForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        saved = _shipment_save(
            request,
            form,
            lambda: export_shipment_create(
                actor=request.user,
                values=form.shipment_values(),
                evidence=form.cleaned_data["evidence_file"],
            ),
        )
        if saved is not None:
            messages.success(request, gettext("The shipment was recorded."))
            return saved
    return _shipment_form_page(request, form, status=400)


@never_cache
@staff_required
def shipment_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a shipment; 409 with the form again when someone saved it in the meantime."""
    shipment = export_shipment_get(user=request.user, pk=pk)
    if not export_shipment_can(user=request.user, shipment=shipment, action=ExportAction.CHANGE):
        raise PermissionDenied
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if request.method != "POST":
        form = ExportShipmentForm(instance=shipment, user=request.user)
        return _shipment_form_page(request, form, shipment=shipment)
    form = ExportShipmentForm(request.POST, request.FILES, instance=shipment, user=request.user)
    if form.is_valid():
        try:
            saved = _shipment_save(
                request,
                form,
                lambda: export_shipment_update(
                    shipment=shipment,
                    actor=request.user,
                    seen_version=form.cleaned_data["seen_version"],
                    values=form.shipment_values(),
                    evidence=form.cleaned_data["evidence_file"],
                    remove_evidence=form.cleaned_data.get("remove_evidence", False),
                ),
            )
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            return _shipment_form_page(request, form, shipment=shipment, status=409)
        if saved is not None:
            messages.success(request, gettext("The shipment was saved."))
            return saved
    return _shipment_form_page(request, form, shipment=shipment, status=400)


@never_cache
@staff_required
def shipment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then delete a shipment and its evidence document."""
    shipment = export_shipment_detail(user=request.user, pk=pk)
    if not export_shipment_can(user=request.user, shipment=shipment, action=ExportAction.DELETE):
        raise PermissionDenied
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if request.method == "POST":
        export_shipment_delete(shipment=shipment, actor=request.user)
        messages.success(request, gettext("The shipment was deleted."))
        return redirect("exports:shipment-list")
    return render(
        request,
        "exports/shipment_delete.html",
        {"shipment": shipment, "shows_demo_data": shipment.is_demo},
    )


@never_cache
@staff_required
def shipment_evidence_view(request: HttpRequest, pk: int) -> FileResponse:
    """The shipment's evidence document as a download; 404 outside the scope or without one."""
    shipment = export_shipment_get(user=request.user, pk=pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    if not shipment.evidence:
        raise Http404
    return file_response(shipment.evidence, download_name=f"shipment-{shipment.pk}-evidence")


# Totals -------------------------------------------------------------------------------------

TOTAL_COLUMNS: dict[str, tuple[Column, ...]] = {
    "village": (
        Column("village_code", _("Village code"), "product__village_id"),
        Column("village", _("Village"), "product__village__name"),
        Column("province", _("Province"), "product__village__province__name"),
    ),
    "product": (
        Column("village_code", _("Village code"), "product__village_id"),
        Column("village", _("Village"), "product__village__name"),
        Column("product", _("Product (Indonesian name)"), "product__name_id"),
    ),
    "country": (
        Column("destination", _("Destination country (ISO code)"), "destination_id"),
        Column("country", _("Destination country"), "destination__name_en"),
    ),
    "year": (Column("year", _("Year"), "year"),),
}
TOTAL_SUMS = (
    Column("count", _("Shipments"), "count"),
    Column("value_usd", _("Value in USD"), "value_usd"),
    Column("value_idr", _("Value in IDR"), "value_idr"),
)


def _row_value(name: str):
    def value(row):
        found = row[name]
        # Sums come back at the database's scale; written to the cent like the shipments.
        return found.quantize(CENT) if isinstance(found, Decimal) else found

    return value


def total_columns(group: str) -> tuple[Column, ...]:
    """The columns of the totals per ``group``, reading the rows of export_shipment_totals."""
    return tuple(
        Column(column.name, column.label, _row_value(column.value))
        for column in (*TOTAL_COLUMNS[group], *TOTAL_SUMS)
    )


def _totals_export(rows, columns, file_format: str, name: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if file_format == "csv":
        response = StreamingHttpResponse(
            csv_lines(columns, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = FileResponse(
            xlsx_file(columns, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{file_format}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@staff_required
def shipment_totals_view(request: HttpRequest) -> HttpResponse:
    """Shipment totals per village, product, country or year (``group``), for one year or all,
    in the user's scope; the table as CSV or XLSX with ``?export=``."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    form = ShipmentTotalsForm(request.GET, years=export_shipment_years(user=request.user))
    group, year = form.chosen()
    rows = export_shipment_totals(user=request.user, group=group, year=year)
    columns = total_columns(group)
    export_format = request.GET.get("export", "")
    if export_format in ("csv", "xlsx"):
        name = f"export-shipment-totals-{group}"
        rows = list(rows)
        _exported(request, name, len(rows))
        return _totals_export(rows, columns, export_format, name)
    query = {"group": group, **({"year": year} if year else {})}
    return render(
        request,
        "exports/shipment_totals.html",
        {
            "form": form,
            "group": group,
            "year": year,
            "rows": list(rows),
            "group_columns": TOTAL_COLUMNS[group],
            "querystring": urlencode(query),
            # The totals include demonstration shipments when the scope holds any.
            "shows_demo_data": export_shipment_scope(user=request.user)
            .filter(origin=DataOrigin.DEMO)
            .exists(),
        },
    )


# Exchange rates -----------------------------------------------------------------------------

EXCHANGE_RATE_COLUMNS = (
    Column("currency", _("Currency"), "currency"),
    Column("valid_from", _("Valid from"), "valid_from"),
    Column("idr_per_unit", _("Rupiah per unit"), "idr_per_unit"),
)


def exchange_rate_list_definition() -> ListDefinition:
    return ListDefinition(
        search=lambda rows, query: rows.filter(currency__icontains=query),
        filters=(
            Filter(
                "currency",
                _("Currency"),
                lambda: [(code, code) for code in exchange_rate_currencies()],
                lambda rows, value: rows.filter(currency=value),
            ),
        ),
        sorts=(
            Sort("currency", _("Currency"), ("currency", "-valid_from", "pk")),
            Sort("date", _("Date, latest first"), ("-valid_from", "currency", "pk")),
        ),
        columns=EXCHANGE_RATE_COLUMNS,
        export_name="exchange-rates",
        per_page=50,
    )


def _national_only(request: HttpRequest, action: str) -> None:
    # Only those who keep the table learn that its edit pages exist.
    if not exchange_rate_can(user=request.user, action=action):
        raise Http404


@never_cache
@staff_required
def exchange_rate_list_view(request: HttpRequest) -> HttpResponse:
    """The exchange-rate table, by currency and latest first, for every staff member."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    definition = exchange_rate_list_definition()
    listing = list_page(request, exchange_rate_scope(user=request.user), definition)
    if listing.export_format:
        _exported(request, definition.export_name, listing.page.paginator.count)
        return list_export(listing, definition)
    return render(
        request,
        "exports/exchange_rate_list.html",
        {
            "listing": listing,
            "definition": definition,
            "can_change": exchange_rate_can(user=request.user, action=ExchangeRateAction.CHANGE),
            "shows_demo_data": listing.shows_demo_data,
        },
    )


def _rate_form_page(request, form, *, rate=None, status=200) -> HttpResponse:
    return render(
        request,
        "exports/exchange_rate_form.html",
        {"form": form, "rate": rate, "shows_demo_data": rate is not None and rate.is_demo},
        status=status,
    )


@never_cache
@staff_required
def exchange_rate_create_view(request: HttpRequest) -> HttpResponse:
    """Add a rate to the table: administrators and programme officers; 404 to others."""
    _national_only(request, ExchangeRateAction.CREATE)
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if request.method != "POST":
        return _rate_form_page(request, ExchangeRateForm())
    form = ExchangeRateForm(request.POST)
    if not form.is_valid():
        return _rate_form_page(request, form, status=400)
    try:
        exchange_rate_create(actor=request.user, values=form.exchange_rate_values())
    except ExportError as error:
        form.add_error(None, error.message)
        return _rate_form_page(request, form, status=400)
    messages.success(request, gettext("The exchange rate was added."))
    return redirect("exports:exchange-rate-list")


@never_cache
@staff_required
def exchange_rate_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a rate: administrators and programme officers; 404 to others."""
    rate = exchange_rate_get(user=request.user, pk=pk)
    _national_only(request, ExchangeRateAction.CHANGE)
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if request.method != "POST":
        return _rate_form_page(request, ExchangeRateForm(instance=rate), rate=rate)
    form = ExchangeRateForm(request.POST, instance=rate)
    if not form.is_valid():
        return _rate_form_page(request, form, rate=rate, status=400)
    try:
        exchange_rate_update(
            rate=rate,
            actor=request.user,
            seen_version=form.cleaned_data["seen_version"],
            values=form.exchange_rate_values(),
        )
    except EditConflict as conflict:
        form.add_error(None, str(conflict))
        return _rate_form_page(request, form, rate=rate, status=409)
    except ExportError as error:
        form.add_error(None, error.message)
        return _rate_form_page(request, form, rate=rate, status=400)
    messages.success(request, gettext("The exchange rate was saved."))
    return redirect("exports:exchange-rate-list")


@never_cache
@staff_required
def exchange_rate_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then delete a rate: administrators and programme officers."""
    rate = exchange_rate_get(user=request.user, pk=pk)
    _national_only(request, ExchangeRateAction.DELETE)
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if request.method == "POST":
        exchange_rate_delete(rate=rate, actor=request.user)
        messages.success(request, gettext("The exchange rate was deleted."))
        return redirect("exports:exchange-rate-list")
    return render(
        request,
        "exports/exchange_rate_delete.html",
        {"rate": rate, "shows_demo_data": rate.is_demo},
    )
