from django.contrib import admin

from desadevisa.nominations.models import (
    Designation,
    Nomination,
    NominationEvent,
    ProgrammeCycle,
    ProvinceQuota,
)


class ProvinceQuotaInline(admin.TabularInline):
    model = ProvinceQuota
    extra = 0
    raw_id_fields = ["province"]


@admin.register(ProgrammeCycle)
class ProgrammeCycleAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "opens_on", "closes_on", "min_craft_units"]
    search_fields = ["name"]
    inlines = [ProvinceQuotaInline]


class NominationEventInline(admin.TabularInline):
    # The history is append-only: shown, never added to or changed here.
    model = NominationEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_state", "to_state", "actor_label", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    # The workflow moves nominations through services; the state is shown, never edited here.
    list_display = ["village", "cycle", "flagship_product", "state", "origin"]
    list_filter = ["cycle", "state", "origin"]
    search_fields = ["village__name", "village__code", "flagship_product__name_en"]
    raw_id_fields = ["village", "flagship_product", "submitted_by"]
    readonly_fields = ["state"]
    list_select_related = ["village", "cycle", "flagship_product"]
    inlines = [NominationEventInline]


@admin.register(Designation)
class DesignationAdmin(admin.ModelAdmin):
    list_display = ["decree_number", "nomination", "designated_on", "status"]
    list_filter = ["status"]
    search_fields = ["decree_number", "verification_code", "nomination__village__name"]
    raw_id_fields = ["nomination"]
    readonly_fields = ["verification_code"]
    list_select_related = ["nomination__village", "nomination__cycle"]
