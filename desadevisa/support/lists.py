"""The support list page: search, filters, sorts and export columns."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from desadevisa.core.lists import Column, Filter, ListDefinition, Sort
from desadevisa.nominations.selectors import programme_cycle_scope
from desadevisa.registry.selectors import registry_provinces
from desadevisa.support.models import SupportItem, SupportKind, SupportStatus

VILLAGE = "designation__nomination__village"


def support_item_search(rows: QuerySet[SupportItem], query: str) -> QuerySet[SupportItem]:
    """Items whose title, village name or code, or partner contains ``query``."""
    return rows.filter(
        Q(title__icontains=query)
        | Q(**{f"{VILLAGE}__name__icontains": query})
        | Q(**{f"{VILLAGE}__code__startswith": query})
        | Q(partner__icontains=query)
    )


def support_item_definition(user) -> ListDefinition:
    def cycles() -> list[tuple[str, str]]:
        rows = programme_cycle_scope(user=user).order_by("-year")
        return [(str(pk), name) for pk, name in rows.values_list("pk", "name")]

    def provinces() -> list[tuple[str, str]]:
        return list(registry_provinces(user=user).values_list("code", "name"))

    return ListDefinition(
        search=support_item_search,
        filters=(
            Filter(
                "kind", _("Kind"), lambda: SupportKind.choices, lambda rows, v: rows.filter(kind=v)
            ),
            Filter(
                "status",
                _("Status"),
                lambda: SupportStatus.choices,
                lambda rows, value: rows.filter(status=value),
            ),
            Filter(
                "province",
                _("Province"),
                provinces,
                lambda rows, value: rows.filter(**{f"{VILLAGE}__province_id": value}),
            ),
            Filter(
                "cycle",
                _("Programme cycle"),
                cycles,
                lambda rows, value: rows.filter(designation__nomination__cycle_id=value),
            ),
        ),
        sorts=(
            Sort(
                "village",
                _("Village"),
                (f"{VILLAGE}__province__name", f"{VILLAGE}__name", "starts_on", "pk"),
            ),
            Sort("starts", _("Start date"), ("-starts_on", "pk")),
            Sort("kind", _("Kind"), ("kind", "-starts_on", "pk")),
            Sort("status", _("Status"), ("status", "-starts_on", "pk")),
            Sort("approved", _("Approved amount (IDR)"), ("-approved_amount_idr", "pk")),
        ),
        columns=(
            Column("title", _("Title"), "title"),
            Column("village_code", _("Village code"), "designation.nomination.village_id"),
            Column("village", _("Village"), "designation.nomination.village.name"),
            Column("province", _("Province"), "designation.nomination.village.province.name"),
            Column("cycle", _("Programme cycle"), "designation.nomination.cycle.name"),
            Column("kind", _("Kind"), lambda row: row.get_kind_display()),
            Column("status", _("Status"), lambda row: row.get_status_display()),
            Column("partner", _("Partner"), "partner"),
            Column("starts_on", _("Starts on"), "starts_on"),
            Column("ends_on", _("Ends on"), "ends_on"),
            Column("approved_amount_idr", _("Approved amount (IDR)"), "approved_amount_idr"),
            Column(
                "disbursed_idr",
                _("Disbursed (IDR)"),
                lambda row: row.disbursed_idr if row.is_financing else None,
            ),
            Column("outstanding_idr", _("Outstanding (IDR)"), "outstanding_idr"),
        ),
        export_name="support-items",
    )
