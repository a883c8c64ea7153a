from django.contrib import admin

from desadevisa.exports.models import ExchangeRate, ExportShipment


@admin.register(ExportShipment)
class ExportShipmentAdmin(admin.ModelAdmin):
    list_display = ["product", "destination", "shipped_on", "value", "currency", "value_usd"]
    list_filter = ["origin", "shipped_on"]
    search_fields = ["product__name_en", "product__name_id", "peb_number", "destination__name_en"]
    date_hierarchy = "shipped_on"
    raw_id_fields = ["product", "destination"]
    list_select_related = ["product", "destination"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "valid_from", "idr_per_unit", "origin"]
    list_filter = ["currency", "origin"]
    date_hierarchy = "valid_from"
