from django.contrib import admin

from desadevisa.showcase.models import DisplayItem, Exhibition, ExhibitionVenue, ScanTally


class ExhibitionVenueInline(admin.TabularInline):
    model = ExhibitionVenue
    extra = 0


class DisplayItemInline(admin.TabularInline):
    model = DisplayItem
    extra = 0
    raw_id_fields = ["product"]
    readonly_fields = ["code"]


@admin.register(Exhibition)
class ExhibitionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "starts_on", "ends_on", "origin"]
    search_fields = ["name_en", "name_id", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ExhibitionVenueInline, DisplayItemInline]


@admin.register(ScanTally)
class ScanTallyAdmin(admin.ModelAdmin):
    list_display = ["display_item", "day", "count"]
    list_filter = ["day"]
    raw_id_fields = ["display_item"]
    readonly_fields = ["display_item", "day", "count"]
