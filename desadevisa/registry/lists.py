"""The registry's list pages: search, filters, sorts and export columns of each.

Filters that offer provinces or organisations offer only those in the person's scope, so the
definitions are built per request.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desadevisa.core.lists import YES, Column, Filter, ListDefinition, Sort, yes_no_choices
from desadevisa.registry.models import Membership, OrganisationKind
from desadevisa.registry.selectors import (
    craft_unit_search,
    membership_search,
    organisation_scope,
    organisation_search,
    registry_provinces,
    village_profile_search,
)
from desadevisa.registry.spreadsheets import CRAFT_UNIT_COLUMNS, MEMBERSHIP_COLUMNS

RUNNING, ENDED = "running", "ended"


def _yes_no(field: str):
    def apply(rows: QuerySet, value: str) -> QuerySet:
        return rows.filter(**{field: value == YES})

    return apply


def _province_filter(user, field: str) -> Filter:
    def choices() -> list[tuple[str, str]]:
        return list(registry_provinces(user=user).values_list("code", "name"))

    return Filter(
        "province", _("Province"), choices, lambda rows, value: rows.filter(**{field: value})
    )


def _organisation_kind_filter(field: str) -> Filter:
    return Filter(
        "kind",
        _("Kind"),
        lambda: OrganisationKind.choices,
        lambda rows, value: rows.filter(**{field: value}),
    )


def village_profile_definition(user) -> ListDefinition:
    return ListDefinition(
        search=village_profile_search,
        filters=(
            _province_filter(user, "village__province_id"),
            Filter("public", _("On the public showcase"), yes_no_choices, _yes_no("is_public")),
        ),
        sorts=(
            Sort("village", _("Village name"), ("village__name", "pk")),
            Sort("province", _("Province"), ("village__province__name", "village__name", "pk")),
            Sort("units", _("Active craft units"), ("active_craft_unit_count", "pk")),
        ),
        columns=(
            Column("village_code", _("Village code"), "village_id"),
            Column("village", _("Village"), "village.name"),
            Column("district", _("District"), "village.district.name"),
            Column("regency", _("Regency or city"), "village.district.regency.name"),
            Column("province", _("Province"), "village.province.name"),
            Column("flagship_commodity", _("Flagship commodity"), "flagship_commodity"),
            Column("latitude", _("Latitude"), "latitude"),
            Column("longitude", _("Longitude"), "longitude"),
            Column("is_public", _("On the public showcase"), "is_public"),
            Column("active_craft_units", _("Active craft units"), "active_craft_unit_count"),
        ),
        export_name="village-profiles",
    )


def organisation_definition(user) -> ListDefinition:
    return ListDefinition(
        search=organisation_search,
        filters=(_organisation_kind_filter("kind"), _province_filter(user, "village__province_id")),
        sorts=(
            Sort("name", _("Legal name"), ("legal_name", "pk")),
            Sort("kind", _("Kind"), ("kind", "legal_name", "pk")),
            Sort("village", _("Village"), ("village__name", "legal_name", "pk")),
            Sort("registration", _("Registration number"), ("registration_number", "pk")),
        ),
        columns=(
            Column("kind", _("Kind"), "kind"),
            Column("legal_name", _("Legal name"), "legal_name"),
            Column("registration_number", _("Registration number"), "registration_number"),
            Column("address", _("Address"), "address"),
            Column("village_code", _("Village code"), "village_id"),
            Column("village", _("Village"), "village.name"),
            Column("province", _("Province"), "village.province.name"),
        ),
        export_name="organisations",
    )


def _member_of(rows: QuerySet, value: str) -> QuerySet:
    running = Membership.objects.current().filter(organisation_id=value)
    return rows.filter(pk__in=running.values("craft_unit_id"))


def craft_unit_definition(user) -> ListDefinition:
    def organisations() -> list[tuple[str, str]]:
        rows = organisation_scope(user=user).order_by("legal_name", "pk")
        return [(str(pk), name) for pk, name in rows.values_list("pk", "legal_name")]

    return ListDefinition(
        search=craft_unit_search,
        filters=(
            Filter("active", _("Active"), yes_no_choices, _yes_no("is_active")),
            _province_filter(user, "village__province_id"),
            Filter("organisation", _("Member of"), organisations, _member_of),
        ),
        sorts=(
            Sort("name", _("Name"), ("name", "pk")),
            Sort("village", _("Village"), ("village__name", "name", "pk")),
            Sort("workers", _("Workers"), ("workers_total", "pk")),
            Sort("capacity", _("Monthly capacity"), ("monthly_capacity", "pk")),
        ),
        columns=CRAFT_UNIT_COLUMNS,
        export_name="craft-units",
    )


def _running_or_ended(rows: QuerySet, value: str) -> QuerySet:
    if value == RUNNING:
        return rows.current()
    return rows.filter(ended_on__lt=timezone.localdate())


def membership_definition(user) -> ListDefinition:
    return ListDefinition(
        search=membership_search,
        filters=(
            _organisation_kind_filter("organisation__kind"),
            Filter(
                "state",
                _("Running or ended"),
                lambda: [(RUNNING, _("Running")), (ENDED, _("Ended"))],
                _running_or_ended,
            ),
            _province_filter(user, "craft_unit__village__province_id"),
        ),
        sorts=(
            Sort("started", _("Started on"), ("-started_on", "pk")),
            Sort("unit", _("Craft unit"), ("craft_unit__name", "-started_on", "pk")),
            Sort(
                "organisation", _("Organisation"), ("organisation__legal_name", "-started_on", "pk")
            ),
        ),
        columns=MEMBERSHIP_COLUMNS,
        export_name="memberships",
    )
