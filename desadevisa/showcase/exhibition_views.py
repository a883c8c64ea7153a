"""The exhibitions' staff pages: the list, an exhibition with its venues and display items,
the curation forms, each item's QR code and the printable display cards.

Every staff member reads exhibitions; the display items shown are those of the products the
reader reads (``showcase.selectors``). Curating is for administrators and programme officers:
others get 403 on the curation pages of what they read. Pages fetch through the scoped selector
first (404 outside the scope), then check the permission (403), then the method.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from desadevisa.accounts.decorators import staff_required
from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_record
from desadevisa.core.lists import Column, ListDefinition, Sort
from desadevisa.core.pages import (
    FORM_METHODS,
    SAFE_METHODS,
    add_service_errors,
    delete_page,
    form_page,
    list_response,
    refuse_method,
    require,
)
from desadevisa.showcase.cards import cards_pdf, qr_code_svg_document, scan_url
from desadevisa.showcase.exhibition_forms import (
    DisplayItemAddForm,
    DisplayItemForm,
    ExhibitionForm,
    ExhibitionVenueForm,
    ProductSearchForm,
)
from desadevisa.showcase.exhibitions import (
    DIRECTIONS,
    display_item_add,
    display_item_move,
    display_item_remove,
    display_item_update,
    exhibition_create,
    exhibition_update,
    exhibition_venue_add,
    exhibition_venue_remove,
)
from desadevisa.showcase.permissions import (
    ShowcaseAction,
    display_item_can,
    exhibition_can,
    exhibition_can_create,
)
from desadevisa.showcase.selectors import (
    display_candidates,
    display_item_card_list,
    display_item_get,
    exhibition_get,
    exhibition_items,
    exhibition_list_rows,
    exhibition_venue_get,
)

CHANGE = ShowcaseAction.CHANGE


def exhibition_url(exhibition_id: int) -> str:
    return reverse("exhibitions:detail", kwargs={"pk": exhibition_id})


def _search(rows, query):
    return rows.filter(
        Q(name_id__icontains=query) | Q(name_en__icontains=query) | Q(slug__icontains=query)
    )


EXHIBITION_LIST = ListDefinition(
    search=_search,
    sorts=(
        Sort("starts", _("Latest first"), ("-starts_on", "-pk")),
        Sort("name", _("Name"), ("name_en", "pk")),
        Sort("scans", _("Scans"), ("-scan_total", "-pk")),
    ),
    columns=(
        Column("name_id", _("Name (Indonesian)"), "name_id"),
        Column("name_en", _("Name (English)"), "name_en"),
        Column("slug", _("Slug"), "slug"),
        Column("starts_on", _("Starts on"), "starts_on"),
        Column("ends_on", _("Ends on"), "ends_on"),
        Column("items", _("Display items"), "item_count"),
        Column("scans", _("Scans"), "scan_total"),
    ),
    export_name="exhibitions",
)


@never_cache
@staff_required
def exhibition_list_view(request: HttpRequest) -> HttpResponse:
    """The exhibitions, with the display items and scans the reader may see; CSV and XLSX."""
    return list_response(
        request,
        exhibition_list_rows(user=request.user),
        EXHIBITION_LIST,
        "showcase/exhibitions/exhibition_list.html",
        {"may_create": exhibition_can_create(user=request.user)},
    )


@never_cache
@staff_required
def exhibition_create_view(request: HttpRequest) -> HttpResponse:
    """A new exhibition (administrators and programme officers)."""
    require(exhibition_can_create(user=request.user))
    form = ExhibitionForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form=form,
        save=lambda form: exhibition_create(data=form.exhibition_values(), actor=request.user),
        template="core/record_form.html",
        context={
            "title": gettext("New exhibition"),
            "cancel_url": reverse("exhibitions:list"),
        },
        success_message=gettext("The exhibition was created."),
        success_url=lambda exhibition: exhibition_url(exhibition.pk),
    )


@never_cache
@staff_required
def exhibition_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An exhibition: dates, venues, and the display items the reader may see with their
    scans."""
    exhibition = exhibition_get(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    items = list(exhibition_items(user=request.user, exhibition=exhibition))
    for item in items:
        item.scan_address = scan_url(item)
    context = {
        "exhibition": exhibition,
        "venues": list(exhibition.venues.all()),
        "items": items,
        "scan_total": sum(item.scan_total for item in items),
        "may_curate": exhibition_can(user=request.user, exhibition=exhibition, action=CHANGE),
        "has_public_items": any(item.product.is_public for item in items),
        "shows_demo_data": exhibition.is_demo or any(item.is_demo for item in items),
    }
    return render(request, "showcase/exhibitions/exhibition_detail.html", context)


@never_cache
@staff_required
def exhibition_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an exhibition's names, slug, dates and descriptions."""
    exhibition = exhibition_get(user=request.user, pk=pk)
    require(exhibition_can(user=request.user, exhibition=exhibition, action=CHANGE))
    form = ExhibitionForm(request.POST if request.method == "POST" else None, instance=exhibition)
    return form_page(
        request,
        form=form,
        save=lambda form: exhibition_update(
            exhibition=exhibition,
            data=form.exhibition_values(),
            seen_version=form.cleaned_data["seen_version"],
            actor=request.user,
        ),
        template="core/record_form.html",
        context={
            "title": gettext("Edit exhibition"),
            "cancel_url": exhibition_url(exhibition.pk),
            "shows_demo_data": exhibition.is_demo,
        },
        success_message=gettext("The exhibition was saved."),
        success_url=lambda saved: exhibition_url(saved.pk),
    )


# Venues --------------------------------------------------------------------------------------


@never_cache
@staff_required
def venue_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a venue to an exhibition."""
    exhibition = exhibition_get(user=request.user, pk=pk)
    require(exhibition_can(user=request.user, exhibition=exhibition, action=CHANGE))
    form = ExhibitionVenueForm(
        request.POST if request.method == "POST" else None, exhibition=exhibition
    )
    return form_page(
        request,
        form=form,
        save=lambda form: exhibition_venue_add(
            exhibition=exhibition, data=form.venue_values(), actor=request.user
        ),
        template="core/record_form.html",
        context={
            "title": gettext("New venue of %(exhibition)s") % {"exhibition": exhibition},
            "cancel_url": exhibition_url(exhibition.pk),
        },
        success_message=gettext("The venue was added."),
        success_url=lambda venue: exhibition_url(exhibition.pk),
    )


@never_cache
@staff_required
def venue_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a venue from its exhibition (asks to confirm)."""
    venue = exhibition_venue_get(user=request.user, pk=pk)
    require(exhibition_can(user=request.user, exhibition=venue.exhibition, action=CHANGE))
    return delete_page(
        request,
        record=venue,
        delete=lambda: exhibition_venue_remove(venue=venue, actor=request.user),
        context={"cancel_url": exhibition_url(venue.exhibition_id)},
        success_message=gettext("The venue was removed."),
        success_url=exhibition_url(venue.exhibition_id),
    )


# Display items -------------------------------------------------------------------------------


@never_cache
@staff_required
def item_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a public product (GET ``?q=``) and display it at the exhibition (POST)."""
    exhibition = exhibition_get(user=request.user, pk=pk)
    require(exhibition_can(user=request.user, exhibition=exhibition, action=CHANGE))
    if refused := refuse_method(request, FORM_METHODS):
        return refused
    search = ProductSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    form, status = DisplayItemAddForm(), 200
    if request.method == "POST":
        form = DisplayItemAddForm(request.POST)
        if form.is_valid():
            try:
                display_item_add(exhibition=exhibition, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, gettext("The product is now displayed."))
                return redirect(exhibition_url(exhibition.pk) + "#items")
        status = 400
    context = {
        "exhibition": exhibition,
        "search": search,
        "query": query,
        "candidates": display_candidates(exhibition=exhibition, query=query),
        "form": form,
    }
    return render(request, "showcase/exhibitions/item_add.html", context, status=status)


@never_cache
@staff_required
def item_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the notes shown with a display item, in both languages."""
    item = display_item_get(user=request.user, pk=pk)
    require(display_item_can(user=request.user, item=item, action=CHANGE))
    form = DisplayItemForm(request.POST if request.method == "POST" else None, instance=item)
    return form_page(
        request,
        form=form,
        save=lambda form: display_item_update(
            item=item,
            data=form.item_values(),
            seen_version=form.cleaned_data["seen_version"],
            actor=request.user,
        ),
        template="core/record_form.html",
        context={
            "title": gettext("Notes on %(product)s") % {"product": item.product},
            "cancel_url": exhibition_url(item.exhibition_id),
            "shows_demo_data": item.is_demo,
        },
        success_message=gettext("The notes were saved."),
        success_url=lambda saved: exhibition_url(saved.exhibition_id) + "#items",
    )


@never_cache
@staff_required
def item_move_view(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    """Move a display item one place up or down (POST)."""
    item = display_item_get(user=request.user, pk=pk)
    require(display_item_can(user=request.user, item=item, action=CHANGE))
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if direction not in DIRECTIONS:
        raise Http404
    if not display_item_move(item=item, direction=direction, actor=request.user):
        messages.info(request, gettext("The item is already at that end of the list."))
    return redirect(exhibition_url(item.exhibition_id) + "#items")


@never_cache
@staff_required
def item_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop displaying a product at the exhibition (asks to confirm)."""
    item = display_item_get(user=request.user, pk=pk)
    require(display_item_can(user=request.user, item=item, action=CHANGE))
    return delete_page(
        request,
        record=item,
        delete=lambda: display_item_remove(item=item, actor=request.user),
        context={"cancel_url": exhibition_url(item.exhibition_id)},
        success_message=gettext("The product is no longer displayed."),
        success_url=exhibition_url(item.exhibition_id) + "#items",
    )


@never_cache
@staff_required
def item_qr_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code of a display item's scan address, as an SVG file."""
    item = display_item_get(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    response = HttpResponse(qr_code_svg_document(scan_url(item)), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="qr-{item.code}.svg"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Display cards -------------------------------------------------------------------------------


@never_cache
@staff_required
def cards_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The display cards (PDF, A6) of the exhibition's items of public products that the
    reader may see; 409 when there are none."""
    exhibition = exhibition_get(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    items = list(display_item_card_list(user=request.user, exhibition=exhibition))
    if not items:
        return _no_cards(request, exhibition_url(exhibition.pk))
    return _cards_response(request, exhibition, items, f"cards-{exhibition.slug}.pdf")


@never_cache
@staff_required
def item_card_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The display card (PDF, A6) of one item; 409 when its product is not public."""
    item = display_item_get(user=request.user, pk=pk)
    if refused := refuse_method(request, SAFE_METHODS):
        return refused
    items = list(
        display_item_card_list(user=request.user, exhibition=item.exhibition).filter(pk=item.pk)
    )
    if not items:
        return _no_cards(request, exhibition_url(item.exhibition_id))
    return _cards_response(request, item.exhibition, items, f"card-{item.code}.pdf")


def _no_cards(request: HttpRequest, back_url: str) -> HttpResponse:
    error = gettext(
        "There is no card to print: only products shown on the public showcase get one, as "
        "their QR code opens the product's public page."
    )
    return render(
        request,
        "showcase/exhibitions/no_cards.html",
        {"error": error, "back_url": back_url},
        status=409,
    )


def _cards_response(request, exhibition, items, filename: str) -> HttpResponse:
    pdf = cards_pdf(exhibition=exhibition, items=items)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORTED,
        obj=exhibition,
        summary=f"display cards: {len(items)}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
