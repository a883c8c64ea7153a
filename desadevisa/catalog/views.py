"""Staff pages of the catalog: products and their photos.

Every object page reads through the scoped selectors first (404 outside the scope, whatever the
method), then checks the method (405), then the permission to act (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from desadevisa.accounts.decorators import staff_required
from desadevisa.audit.models import AuditAction
from desadevisa.audit.selectors import audit_history
from desadevisa.audit.services import audit_record
from desadevisa.catalog.forms import (
    ProductForm,
    ProductPhotoCaptionForm,
    ProductPhotoMoveForm,
    ProductPhotoUploadForm,
)
from desadevisa.catalog.models import Product
from desadevisa.catalog.permissions import (
    CatalogAction,
    product_can,
    product_create_allowed,
    product_photo_can,
)
from desadevisa.catalog.selectors import (
    hs_code_search,
    product_detail,
    product_get,
    product_list,
    product_photo_get,
    product_photo_list,
)
from desadevisa.catalog.services import (
    CatalogError,
    product_create,
    product_delete,
    product_photo_caption_set,
    product_photo_cover_set,
    product_photo_delete,
    product_photo_move,
    product_photos_add,
    product_update,
)
from desadevisa.catalog.spreadsheets import PRODUCT_COLUMNS
from desadevisa.core.editing import VERSION_FIELD, EditConflict
from desadevisa.core.lists import (
    YES,
    Filter,
    ListDefinition,
    Sort,
    list_export,
    list_page,
    yes_no_choices,
)
from desadevisa.core.models import PHOTO_RENDITIONS
from desadevisa.core.uploads import image_response
from desadevisa.regions.models import Province, Village

SAFE_METHODS = ["GET", "HEAD"]
FORM_METHODS = ["GET", "HEAD", "POST"]
POST_ONLY = ["POST"]


def _posted(request: HttpRequest):
    """The submitted fields of a POST (even empty, so the form reports what is missing)."""
    return request.POST if request.method == "POST" else None


# The product list ----------------------------------------------------------------------------


def product_search(products: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Products whose names (either language) or materials contain ``query``, or whose HS code
    starts with it (dots ignored: ``92.06`` finds 9206 and 920600)."""
    condition = (
        Q(name_id__icontains=query) | Q(name_en__icontains=query) | Q(materials__icontains=query)
    )
    digits = query.replace(".", "").replace(" ", "")
    if digits.isdigit():
        condition |= Q(hs_code__code__startswith=digits)
    return products.filter(condition)


def _hs_choices(products: QuerySet[Product]) -> list[tuple[str, str]]:
    codes = sorted(set(products.values_list("hs_code_id", flat=True)))
    chapters = sorted({code[:2] for code in codes})
    headings = sorted({code[:4] for code in codes})
    return [
        *((code, gettext("Chapter %(code)s") % {"code": code}) for code in chapters),
        *(
            (code, gettext("Heading %(code)s") % {"code": f"{code[:2]}.{code[2:]}"})
            for code in headings
        ),
    ]


def product_list_definition(products: QuerySet[Product]) -> ListDefinition:
    """The list page of ``products`` (already scoped): filter choices come from those rows."""
    return ListDefinition(
        search=product_search,
        filters=(
            Filter(
                "province",
                _("Province"),
                lambda: list(
                    Province.objects.filter(pk__in=products.values("village__province_id"))
                    .order_by("name")
                    .values_list("code", "name")
                ),
                lambda rows, value: rows.filter(village__province_id=value),
            ),
            Filter(
                "village",
                _("Village"),
                lambda: list(
                    Village.objects.filter(pk__in=products.values("village_id"))
                    .order_by("name", "code")
                    .values_list("code", "name")
                ),
                lambda rows, value: rows.filter(village_id=value),
            ),
            Filter(
                "hs",
                _("HS chapter or heading"),
                lambda: _hs_choices(products),
                lambda rows, value: rows.filter(hs_code__code__startswith=value),
            ),
            Filter(
                "public",
                _("On the public showcase"),
                yes_no_choices,
                lambda rows, value: rows.filter(is_public=value == YES),
            ),
        ),
        sorts=(
            Sort("name", _("Name"), ("name_en", "name_id", "pk")),
            Sort("village", _("Village"), ("village__name", "name_en", "pk")),
            Sort("price", _("Lowest price"), ("price_min", "price_max", "pk")),
            Sort("updated", _("Last changed"), ("updated_at", "pk")),
        ),
        columns=PRODUCT_COLUMNS,
        export_name="products",
    )


@never_cache
@staff_required
@require_safe
def product_list_view(request: HttpRequest) -> HttpResponse:
    """The products in the user's scope: search, filters, sorts, 25 a page; CSV or XLSX export
    of every row the filter shows (``?export=csv|xlsx``)."""
    products = product_list(user=request.user)
    definition = product_list_definition(products)
    listing = list_page(request, products, definition)
    if listing.export_format:
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORTED,
            summary=f"{definition.export_name}: {listing.page.paginator.count} rows",
        )
        return list_export(listing, definition)
    return render(
        request,
        "catalog/product_list.html",
        {
            "listing": listing,
            "definition": definition,
            "can_create": product_create_allowed(user=request.user),
            "shows_demo_data": listing.shows_demo_data,
        },
    )


# One product ---------------------------------------------------------------------------------


@never_cache
@staff_required
def product_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One product with its photos and craft units, and its history."""
    product = product_detail(user=request.user, pk=pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    photos = list(product.photos.all())
    units = list(product.craft_units.all())
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "photos": photos,
            "craft_units": units,
            "can_change": product_can(user=request.user, product=product, action="change"),
            "can_delete": product_can(user=request.user, product=product, action="delete"),
            "events": audit_history(obj=product),
            "shows_demo_data": any(row.is_demo for row in [product, *photos, *units]),
        },
    )


@never_cache
@staff_required
def product_create_view(request: HttpRequest) -> HttpResponse:
    """The form for a new product: national roles, and managers for their running units."""
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if not product_create_allowed(user=request.user):
        raise PermissionDenied
    form = ProductForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product = product_create(
                actor=request.user,
                village=data["village"],
                craft_units=data["craft_units"],
                fields=data,
            )
        except CatalogError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("The product is saved."))
            return redirect("catalog:product-detail", pk=product.pk)
    status = 400 if form.is_bound else 200
    return render(request, "catalog/product_form.html", {"form": form}, status=status)


@never_cache
@staff_required
def product_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The form of a product, saved only over the version it was opened on (409 otherwise)."""
    product = product_get(user=request.user, pk=pk)
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if not product_can(user=request.user, product=product, action=CatalogAction.CHANGE):
        raise PermissionDenied
    form = ProductForm(_posted(request), instance=product, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                product_update(
                    product=product,
                    actor=request.user,
                    craft_units=form.cleaned_data["craft_units"],
                    fields=form.cleaned_data,
                    seen_version=form.cleaned_data[VERSION_FIELD],
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                status = 409
            except CatalogError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, gettext("The product is saved."))
                return redirect("catalog:product-detail", pk=product.pk)
    context = {"form": form, "product": product, "shows_demo_data": product.is_demo}
    return render(request, "catalog/product_form.html", context, status=status)


@never_cache
@staff_required
def product_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete a product; refused with the reason while shipments refer to it."""
    product = product_get(user=request.user, pk=pk)
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if not product_can(user=request.user, product=product, action=CatalogAction.DELETE):
        raise PermissionDenied
    error, status = "", 200
    if request.method == "POST":
        try:
            product_delete(product=product, actor=request.user)
        except CatalogError as refusal:
            error, status = str(refusal), 409
        else:
            messages.success(request, gettext("The product is deleted."))
            return redirect("catalog:product-list")
    context = {"product": product, "error": error, "shows_demo_data": product.is_demo}
    return render(request, "catalog/product_confirm_delete.html", context, status=status)


# Photos --------------------------------------------------------------------------------------


@never_cache
@staff_required
def product_photos_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A product's photos to caption, order, make the cover or delete; and the upload form."""
    product = product_get(user=request.user, pk=pk)
    if request.method not in FORM_METHODS:
        return HttpResponseNotAllowed(FORM_METHODS)
    if not product_can(user=request.user, product=product, action=CatalogAction.CHANGE):
        raise PermissionDenied
    form = ProductPhotoUploadForm(
        _posted(request), request.FILES if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        added = product_photos_add(
            product=product,
            actor=request.user,
            images=form.cleaned_data["photos"],
            caption=form.cleaned_data["caption"],
        )
        count = len(added)
        messages.success(
            request,
            ngettext("%(count)s photo added.", "%(count)s photos added.", count) % {"count": count},
        )
        return redirect("catalog:product-photos", pk=product.pk)
    photos = product_photo_list(product=product)
    return render(
        request,
        "catalog/product_photos.html",
        {
            "product": product,
            "photos": photos,
            "form": form,
            "shows_demo_data": any(row.is_demo for row in [product, *photos]),
        },
        status=400 if form.is_bound else 200,
    )


def _photo_action(request: HttpRequest, pk: int, action: str):
    """The photo ``pk`` for a POST that ``action``s it: 404 outside the scope, 405 for other
    methods, 403 without the permission."""
    photo = product_photo_get(user=request.user, pk=pk)
    if request.method != "POST":
        return photo, HttpResponseNotAllowed(POST_ONLY)
    if not product_photo_can(user=request.user, photo=photo, action=action):
        raise PermissionDenied
    return photo, None


@never_cache
@staff_required
def product_photo_caption_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a photo's caption (POST)."""
    photo, refusal = _photo_action(request, pk, CatalogAction.CHANGE)
    if refusal:
        return refusal
    form = ProductPhotoCaptionForm(request.POST)
    if form.is_valid():
        product_photo_caption_set(
            photo=photo, actor=request.user, caption=form.cleaned_data["caption"]
        )
        messages.success(request, gettext("The caption is saved."))
    else:
        messages.error(request, " ".join(form.errors["caption"]))
    return redirect("catalog:product-photos", pk=photo.product_id)


@never_cache
@staff_required
def product_photo_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a photo one place up or down (POST ``direction``)."""
    photo, refusal = _photo_action(request, pk, CatalogAction.CHANGE)
    if refusal:
        return refusal
    form = ProductPhotoMoveForm(request.POST)
    if form.is_valid():
        product_photo_move(
            photo=photo, actor=request.user, direction=form.cleaned_data["direction"]
        )
    return redirect("catalog:product-photos", pk=photo.product_id)


@never_cache
@staff_required
def product_photo_cover_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a photo its product's cover (POST)."""
    photo, refusal = _photo_action(request, pk, CatalogAction.CHANGE)
    if refusal:
        return refusal
    product_photo_cover_set(photo=photo, actor=request.user)
    messages.success(request, gettext("The cover photo is changed."))
    return redirect("catalog:product-photos", pk=photo.product_id)


@never_cache
@staff_required
def product_photo_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a photo (POST)."""
    photo, refusal = _photo_action(request, pk, CatalogAction.DELETE)
    if refusal:
        return refusal
    product_photo_delete(photo=photo, actor=request.user)
    messages.success(request, gettext("The photo is deleted."))
    return redirect("catalog:product-photos", pk=photo.product_id)


@staff_required
def product_photo_file_view(request: HttpRequest, pk: int, rendition: str) -> HttpResponse:
    """A rendition (thumbnail, card or full) of a product photo the user may read."""
    photo = product_photo_get(user=request.user, pk=pk)
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    if rendition not in PHOTO_RENDITIONS:
        raise Http404
    return image_response(request, photo.rendition(rendition), public=False)


# HS codes ------------------------------------------------------------------------------------


@never_cache
@staff_required
@require_safe
def hs_code_search_view(request: HttpRequest) -> JsonResponse:
    """Headings and subheadings matching ``?q=`` (code or words), at most 20, as JSON."""
    codes = hs_code_search(query=request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {
                    "code": code.code,
                    "level": code.level,
                    "description": code.description,
                }
                for code in codes
            ]
        }
    )
