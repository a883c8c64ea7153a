"""The spreadsheet columns of products: the product list exports them and the import reads them
back. A product is identified by its village code and Indonesian name.

``craft_units`` holds the names of the units that make the product, separated by semicolons,
in alphabetical order; export querysets prefetch ``craft_units``.
"""

from django.utils.translation import gettext_lazy as _

from desadevisa.core.lists import Column

CRAFT_UNIT_SEPARATOR = "; "


def craft_unit_names(product) -> str:
    return CRAFT_UNIT_SEPARATOR.join(sorted(unit.name for unit in product.craft_units.all()))


PRODUCT_COLUMNS = (
    Column("village_code", _("Village code"), "village_id"),
    Column("name_id", _("Name (Indonesian)"), "name_id"),
    Column("name_en", _("Name (English)"), "name_en"),
    Column("description_id", _("Description (Indonesian)"), "description_id"),
    Column("description_en", _("Description (English)"), "description_en"),
    Column("hs_code", _("HS code"), "hs_code_id"),
    Column("materials", _("Materials"), "materials"),
    Column("uniqueness_statement", _("Uniqueness statement"), "uniqueness_statement"),
    Column("origin_statement", _("Origin statement"), "origin_statement"),
    Column("craft_units", _("Craft units"), craft_unit_names),
    Column("price_min", _("Lowest FOB price"), "price_min"),
    Column("price_max", _("Highest FOB price"), "price_max"),
    Column("currency", _("Currency"), "currency"),
    Column("minimum_order", _("Minimum order"), "minimum_order"),
    Column("order_unit", _("Order unit"), "order_unit"),
    Column("lead_time_days", _("Lead time (days)"), "lead_time_days"),
    Column("monthly_capacity", _("Monthly capacity"), "monthly_capacity"),
    Column("is_public", _("Public"), "is_public"),
)
PRODUCT_KEY = ("village_code", "name_id")
