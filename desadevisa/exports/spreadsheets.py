"""The spreadsheet columns of export shipments: the shipment list exports them and the import
reads them back. A shipment is identified by its product (village code and Indonesian name),
destination, date and export declaration (PEB) number.

The values in IDR and USD may be left empty in an imported file: they are then converted at
the programme's exchange-rate table for the shipment's date. Export querysets select
``product``.
"""

from django.utils.translation import gettext_lazy as _

from desadevisa.core.lists import Column

EXPORT_SHIPMENT_COLUMNS = (
    Column("village_code", _("Village code"), "product.village_id"),
    Column("product", _("Product (Indonesian name)"), "product.name_id"),
    Column("destination", _("Destination country (ISO code)"), "destination_id"),
    Column("shipped_on", _("Shipped on"), "shipped_on"),
    Column("quantity", _("Quantity"), "quantity"),
    Column("unit", _("Unit"), "unit"),
    Column("value", _("Value"), "value"),
    Column("currency", _("Currency"), "currency"),
    Column("value_idr", _("Value in IDR"), "value_idr"),
    Column("value_usd", _("Value in USD"), "value_usd"),
    Column("peb_number", _("Export declaration (PEB) number"), "peb_number"),
)
EXPORT_SHIPMENT_KEY = ("village_code", "product", "destination", "shipped_on", "peb_number")
