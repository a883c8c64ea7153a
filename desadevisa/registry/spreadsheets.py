"""The spreadsheet columns of craft units and memberships: the list pages export them and the
import reads them back, so an exported file imports without a change.

Headers are translated; the import accepts a column's header in either language or its name.
Rows are identified by their natural key: a craft unit by its village code and name, a
membership by its unit, its organisation (kind and registration number) and its first day.
"""

from django.utils.translation import gettext_lazy as _

from desadevisa.core.lists import Column

CRAFT_UNIT_COLUMNS = (
    Column("village_code", _("Village code"), "village_id"),
    Column("name", _("Name"), "name"),
    Column("owner_name", _("Owner"), "owner_name"),
    Column("workers_women", _("Women workers"), "workers_women"),
    Column("workers_men", _("Men workers"), "workers_men"),
    Column("monthly_capacity", _("Monthly capacity"), "monthly_capacity"),
    Column("capacity_unit", _("Capacity unit"), "capacity_unit"),
    Column("business_id", _("Business ID (NIB)"), "business_id"),
    Column("is_active", _("Active"), "is_active"),
)
CRAFT_UNIT_KEY = ("village_code", "name")

# Export querysets select craft_unit and organisation.
MEMBERSHIP_COLUMNS = (
    Column("village_code", _("Village code"), "craft_unit.village_id"),
    Column("craft_unit", _("Craft unit"), "craft_unit.name"),
    Column("organisation_kind", _("Organisation kind"), "organisation.kind"),
    Column(
        "registration_number",
        _("Organisation registration number"),
        "organisation.registration_number",
    ),
    Column("started_on", _("Started on"), "started_on"),
    Column("ended_on", _("Ended on"), "ended_on"),
)
MEMBERSHIP_KEY = (
    "village_code",
    "craft_unit",
    "organisation_kind",
    "registration_number",
    "started_on",
)
