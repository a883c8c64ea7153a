"""The programme's records in the admin, view only: cycles, quotas and their requests,
nominations and their history, designations are written by the services, which keep the
workflow, the quota and the audit trail; a row added or changed here would bypass all three."""

from django.contrib import admin

from desadevisa.core.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline
from desadevisa.nominations.models import (
    Designation,
    Nomination,
    NominationEvent,
    ProgrammeCycle,
    ProvinceQuota,
    QuotaRaiseRequest,
)


class ProvinceQuotaInline(ReadOnlyTabularInline):
    model = ProvinceQuota
    fields = ["province", "allowed"]
    readonly_fields = fields


@admin.register(ProgrammeCycle)
class ProgrammeCycleAdmin(ReadOnlyModelAdmin):
    list_display = ["year", "name", "opens_on", "closes_on", "min_craft_units"]
    search_fields = ["name"]
    inlines = [ProvinceQuotaInline]


class NominationEventInline(ReadOnlyTabularInline):
    model = NominationEvent
    fields = ["at", "from_state", "to_state", "actor_label", "comment"]
    readonly_fields = fields


@admin.register(Nomination)
class NominationAdmin(ReadOnlyModelAdmin):
    list_display = ["village", "cycle", "flagship_product", "state", "origin"]
    list_filter = ["cycle", "state", "origin"]
    search_fields = ["village__name", "village__code", "flagship_product__name_en"]
    list_select_related = ["village", "cycle", "flagship_product"]
    inlines = [NominationEventInline]


@admin.register(Designation)
class DesignationAdmin(ReadOnlyModelAdmin):
    list_display = ["decree_number", "nomination", "designated_on", "status"]
    list_filter = ["status"]
    search_fields = ["decree_number", "verification_code", "nomination__village__name"]
    list_select_related = ["nomination__village", "nomination__cycle"]


@admin.register(QuotaRaiseRequest)
class QuotaRaiseRequestAdmin(ReadOnlyModelAdmin):
    list_display = ["cycle", "province", "places", "state", "created_at"]
    list_filter = ["state", "cycle"]
    list_select_related = ["cycle", "province"]
