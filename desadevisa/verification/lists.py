"""The visit list page: search, filters, sorts and export columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from desadevisa.core.lists import Column, Filter, ListDefinition, Sort
from desadevisa.verification.models import VisitState
from desadevisa.verification.selectors import visit_search


def _verifier_names(visit) -> str:
    return ", ".join(sorted(user.get_username() for user in visit.verifiers.all()))


def visit_definition() -> ListDefinition:
    return ListDefinition(
        search=visit_search,
        filters=(
            Filter(
                "state",
                _("State"),
                lambda: VisitState.choices,
                lambda rows, value: rows.filter(state=value),
            ),
        ),
        sorts=(
            Sort("planned", _("Date of the visit"), ("-planned_on", "-pk")),
            Sort("village", _("Village"), ("nomination__village__name", "pk")),
            Sort(
                "province",
                _("Province"),
                ("nomination__village__province__name", "nomination__village__name", "pk"),
            ),
            Sort("state", _("State"), ("state", "-planned_on", "pk")),
        ),
        columns=(
            Column("planned_on", _("Date of the visit"), "planned_on"),
            Column("village_code", _("Village code"), "nomination.village_id"),
            Column("village", _("Village"), "nomination.village.name"),
            Column("province", _("Province"), "nomination.village.province.name"),
            Column("cycle", _("Programme cycle"), "nomination.cycle.name"),
            Column(
                "flagship_product", _("Flagship product"), "nomination.flagship_product.name_en"
            ),
            Column("verifiers", _("Verifiers"), _verifier_names),
            Column("state", _("State"), lambda row: row.get_state_display()),
            Column(
                "recommendation", _("Recommendation"), lambda row: row.get_recommendation_display()
            ),
            Column("submitted_at", _("Submitted at"), "submitted_at"),
        ),
        export_name="verification-visits",
    )
