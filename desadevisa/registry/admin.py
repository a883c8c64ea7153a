from django.contrib import admin

from desadevisa.registry.models import CraftUnit, Membership, Organisation, VillageProfile


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["craft_unit", "organisation"]


@admin.register(VillageProfile)
class VillageProfileAdmin(admin.ModelAdmin):
    list_display = ["village", "flagship_commodity", "is_public", "origin"]
    list_filter = ["is_public", "origin", "village__province"]
    search_fields = ["village__name", "village__code", "flagship_commodity"]
    raw_id_fields = ["village"]
    list_select_related = ["village"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "kind", "registration_number", "village", "origin"]
    list_filter = ["kind", "origin"]
    search_fields = ["legal_name", "registration_number", "village__name"]
    raw_id_fields = ["village"]
    list_select_related = ["village"]
    inlines = [MembershipInline]


@admin.register(CraftUnit)
class CraftUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "owner_name", "village", "workers_women", "workers_men", "is_active"]
    list_filter = ["is_active", "origin"]
    search_fields = ["name", "owner_name", "business_id", "village__name"]
    raw_id_fields = ["village"]
    list_select_related = ["village"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["craft_unit", "organisation", "started_on", "ended_on"]
    search_fields = ["craft_unit__name", "organisation__legal_name"]
    autocomplete_fields = ["craft_unit", "organisation"]
    list_select_related = ["craft_unit", "organisation"]
