from django.contrib import admin

from desadevisa.showcase.models import DisplayItem, Exhibition, ExhibitionVenue


class ExhibitionVenueInline(admin.TabularInline):
    model = ExhibitionVenue
    extra = 0


class DisplayItemInline(admin.TabularInline):
    model = DisplayItem
    extra = 0
    raw_id_fields = ["product"]


@admin.register(Exhibition)
class ExhibitionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "starts_on", "ends_on", "origin"]
    search_fields = ["name_en", "name_id", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ExhibitionVenueInline, DisplayItemInline]
