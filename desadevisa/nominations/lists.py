"""The nomination list page: search, filters, sorts and export columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from desadevisa.core.lists import Column, Filter, ListDefinition, Sort
from desadevisa.nominations.models import NominationState
from desadevisa.nominations.selectors import nomination_search, programme_cycle_scope
from desadevisa.registry.selectors import registry_provinces


def nomination_definition(user) -> ListDefinition:
    def cycles() -> list[tuple[str, str]]:
        rows = programme_cycle_scope(user=user).order_by("-year")
        return [(str(pk), name) for pk, name in rows.values_list("pk", "name")]

    def provinces() -> list[tuple[str, str]]:
        return list(registry_provinces(user=user).values_list("code", "name"))

    return ListDefinition(
        search=nomination_search,
        filters=(
            Filter("cycle", _("Programme cycle"), cycles, lambda rows, v: rows.filter(cycle_id=v)),
            Filter(
                "state",
                _("State"),
                lambda: NominationState.choices,
                lambda rows, value: rows.filter(state=value),
            ),
            Filter(
                "province",
                _("Province"),
                provinces,
                lambda rows, value: rows.filter(village__province_id=value),
            ),
        ),
        sorts=(
            Sort("updated", _("Last changed"), ("-updated_at", "-pk")),
            Sort("village", _("Village"), ("village__name", "pk")),
            Sort("province", _("Province"), ("village__province__name", "village__name", "pk")),
            Sort("state", _("State"), ("state", "village__name", "pk")),
        ),
        columns=(
            Column("cycle", _("Programme cycle"), "cycle.name"),
            Column("village_code", _("Village code"), "village_id"),
            Column("village", _("Village"), "village.name"),
            Column("province", _("Province"), "village.province.name"),
            Column("flagship_product", _("Flagship product"), "flagship_product.name_en"),
            Column("state", _("State"), lambda row: row.get_state_display()),
            Column("submitted_by", _("Submitted by"), "submitted_by.username"),
            Column("updated_at", _("Last changed"), "updated_at"),
        ),
        export_name="nominations",
    )
