"""Reads for buyer inquiries: the public side (products, the privacy notice) and the staff's
pipeline, scoped.

Who reads an inquiry (``inquiry_visibility``), and so its buyer's personal data:

| role | inquiries |
|---|---|
| administrators, programme officers | all |
| organisation managers | about products made by today's member units of their organisations |
| provincial officers | those about products of their provinces' villages (read only) |
| verifiers, anyone else | none |
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from desadevisa.accounts.models import Role, RoleAssignment, User
from desadevisa.accounts.scopes import UserScope, user_scope
from desadevisa.catalog.models import Product
from desadevisa.catalog.selectors import made_by_organisations
from desadevisa.core.scoping import EVERYTHING, any_of, via
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
    """The inquiries ``user`` reads, newest first, with what the list and its export show."""
    return inquiry_scope(user=user).select_related("shipment").order_by("-created_at", "-pk")


def inquiry_get(*, user, pk: int) -> Inquiry:
    """The inquiry ``pk`` if ``user`` may read it; Http404 otherwise."""
    return get_object_or_404(inquiry_scope(user=user), pk=pk)


def inquiry_detail(*, user, pk: int) -> Inquiry:
    """The inquiry ``pk`` with its consent, shipment and events (with their actors); Http404
    outside the scope of ``user``."""
    inquiries = (
        inquiry_scope(user=user)
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
