"""Reads for buyer inquiries: the public side (products, the privacy notice) and the staff's
pipeline, scoped.

Who reads an inquiry (``inquiry_visibility``), and who reads its buyer's contact details (name,
company, e-mail, phone, message: ``inquiry_contact_visibility``). An inquiry is routed to the
organisation and the programme officer; the province follows how many arrive and about which
products, without knowing who asked:

| role | inquiries | their contact details |
|---|---|---|
| administrators, programme officers | all | all |
| organisation managers | about products their organisations' member units make today | all |
| provincial officers | about products of their provinces' villages | none |
| verifiers, anyone else | none | none |

The detail page shows the contact details, so it is reached through ``inquiry_detail``, which
answers 404 outside ``inquiry_contact_visibility``; lists and exports mark each row with
``contact_shown``.
"""

from __future__ import annotations

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from desadevisa.accounts.models import Role, RoleAssignment, User
from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.catalog.models import Product
from desadevisa.catalog.selectors import made_by_organisations
from desadevisa.core.scoping import EVERYTHING, NOTHING, any_of, via
from desadevisa.exports.models import ExportShipment
from desadevisa.exports.selectors import export_shipment_scope
from desadevisa.inquiries.models import Inquiry, InquiryEvent, PrivacyNotice
from desadevisa.regions.models import Province
from desadevisa.registry.models import Membership
from desadevisa.showcase.models import Exhibition

# Public side -----------------------------------------------------------------------------------


def inquiry_product_get(*, slug: str) -> Product:
    """The public product ``slug`` an inquiry may be about, with its village; Http404 otherwise
    (unknown, or not shown on the showcase)."""
    products = Product.objects.filter(is_public=True).select_related("village")
    return get_object_or_404(products, slug=slug)


def inquiry_exhibition_find(*, slug: str) -> Exhibition | None:
    """The exhibition ``slug`` that brought a buyer to the form, or None when there is none."""
    if not slug or len(slug) > 220:
        return None
    return Exhibition.objects.filter(slug=slug).first()


def privacy_notice_current(*, today=None) -> PrivacyNotice | None:
    """The privacy notice in force: the latest version published on or before ``today``."""
    today = today or timezone.localdate()
    return PrivacyNotice.objects.filter(published_on__lte=today).order_by("-version").first()


def privacy_notice_get_current(*, today=None) -> PrivacyNotice:
    """The privacy notice in force; Http404 when none has been published."""
    notice = privacy_notice_current(today=today)
    if notice is None:
        raise Http404("No privacy notice has been published.")
    return notice


# Staff side ------------------------------------------------------------------------------------


def inquiry_visibility(scope: UserScope) -> Q:
    """The inquiries ``scope`` reads, as a condition on Inquiry (see the module's table)."""
    if scope.is_national:
        return EVERYTHING
    conditions = []
    if scope.has_role(Role.PROVINCIAL_OFFICER) and scope.province_codes:
        conditions.append(Q(product__village__province_id__in=sorted(scope.province_codes)))
    if scope.has_role(Role.ORGANISATION_MANAGER) and scope.organisation_ids:
        conditions.append(inquiry_handled_by_organisations(scope.organisation_ids))
    return any_of(*conditions)


def inquiry_contact_visibility(scope: UserScope) -> Q:
    """The inquiries whose buyer's contact details ``scope`` reads, as a condition on Inquiry:
    those it handles (see the module's table)."""
    if scope.is_national:
        return EVERYTHING
    if scope.has_role(Role.ORGANISATION_MANAGER) and scope.organisation_ids:
        return inquiry_handled_by_organisations(scope.organisation_ids)
    return NOTHING


def inquiry_contacts_read(*, user) -> bool:
    """Whether ``user`` reads the contact details of any inquiry at all (no query)."""
    return inquiry_contact_visibility(user_scope(user)) != NOTHING


def inquiry_handled_by_organisations(organisation_ids: frozenset[int]) -> Q:
    """Condition on Inquiry: about a product made by a unit that is a member of one of the
    organisations today."""
    made = made_by_organisations(organisation_ids=organisation_ids, running_only=True)
    return via("product", Product, made)


def inquiry_scope(*, user) -> QuerySet[Inquiry]:
    """The inquiries ``user`` may read, with product, village, province, country and exhibition
    selected. Empty for the anonymous, deactivated accounts and users without a role."""
    return Inquiry.objects.filter(inquiry_visibility(user_scope(user))).select_related(
        "product__village__province", "country", "exhibition"
    )


def inquiry_list(*, user) -> QuerySet[Inquiry]:
    """The inquiries ``user`` reads, newest first, with what the list and its export show;
    each row's ``contact_shown`` says whether ``user`` reads its buyer's contact details."""
    contact = inquiry_contact_visibility(user_scope(user))
    if contact in (EVERYTHING, NOTHING):
        shown = Value(contact == EVERYTHING)
    else:
        shown = Case(When(contact, then=Value(True)), default=Value(False))
    return (
        inquiry_scope(user=user)
        .select_related("shipment")
        .annotate(contact_shown=shown)
        .order_by("-created_at", "-pk")
    )


def inquiry_get(*, user, pk: int) -> Inquiry:
    """The inquiry ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(inquiry_scope(user=user), pk=pk)


def inquiry_detail(*, user, pk: int) -> Inquiry:
    """The inquiry ``pk`` with its buyer's contact details, its consent, shipment and events
    (with their actors); Http404 unless ``user`` reads its contact details."""
    inquiries = (
        inquiry_scope(user=user)
        .filter(inquiry_contact_visibility(user_scope(user)))
        .select_related("consent__notice", "shipment__destination")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=InquiryEvent.objects.select_related("actor").order_by("at", "pk"),
            )
        )
    )
    return get_object_or_404(inquiries, pk=pk)


def inquiry_provinces(*, user) -> list[Province]:
    """The provinces of the inquiries ``user`` reads, by name (one query)."""
    codes = inquiry_scope(user=user).select_related(None).values("product__village__province_id")
    return list(Province.objects.filter(code__in=codes).order_by("name"))


def inquiry_products(*, user) -> list[Product]:
    """The products of the inquiries ``user`` reads, by name (one query)."""
    ids = inquiry_scope(user=user).select_related(None).values("product_id")
    return list(Product.objects.filter(pk__in=ids).order_by("name_id", "pk"))


def inquiry_exhibitions(*, user) -> list[Exhibition]:
    """The exhibitions that brought inquiries ``user`` reads, latest first (one query)."""
    ids = inquiry_scope(user=user).select_related(None).values("exhibition_id")
    return list(Exhibition.objects.filter(pk__in=ids).order_by("-starts_on", "pk"))


def inquiry_shipment_choices(*, user, inquiry: Inquiry) -> QuerySet[ExportShipment]:
    """The shipments an inquiry may be linked to when it ships: shipments of products of the
    inquiry product's village, made on or after the day the inquiry arrived, that ``user``
    reads; latest first."""
    received = timezone.localdate(inquiry.created_at)
    return (
        export_shipment_scope(user=user)
        .filter(product__village_id=inquiry.product.village_id, shipped_on__gte=received)
        .order_by("-shipped_on", "-pk")
    )


def inquiry_recipients(*, inquiry: Inquiry) -> QuerySet[User]:
    """The people told of a new inquiry: the managers of organisations whose member units
    (today) make its product, and the programme officers. Active accounts only."""
    organisations = Membership.objects.current().filter(craft_unit__products=inquiry.product_id)
    holders = RoleAssignment.objects.filter(
        Q(role=Role.PROGRAMME_OFFICER)
        | Q(
            role=Role.ORGANISATION_MANAGER,
            organisation_id__in=organisations.values("organisation_id"),
        )
    ).values("user_id")
    return User.objects.filter(is_active=True, pk__in=holders).order_by("pk")
