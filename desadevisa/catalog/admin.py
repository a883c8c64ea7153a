from django.contrib import admin

from desadevisa.catalog.models import HSCode, Product, ProductPhoto


class ProductPhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0


@admin.register(HSCode)
class HSCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "description"]
    list_filter = ["level"]
    search_fields = ["code", "description"]
    raw_id_fields = ["parent"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_id", "village", "hs_code", "is_public", "origin"]
    list_filter = ["is_public", "origin"]
    search_fields = ["name_en", "name_id", "slug", "hs_code__code", "village__name"]
    prepopulated_fields = {"slug": ["name_en"]}
    raw_id_fields = ["village", "hs_code"]
    autocomplete_fields = ["craft_units"]
    list_select_related = ["village", "hs_code"]
    inlines = [ProductPhotoInline]
