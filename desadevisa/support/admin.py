from django.contrib import admin

from desadevisa.support.models import DesignDeliverable, Disbursement, SupportItem


class DisbursementInline(admin.TabularInline):
    model = Disbursement
    extra = 0


class DesignDeliverableInline(admin.TabularInline):
    model = DesignDeliverable
    extra = 0


@admin.register(SupportItem)
class SupportItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "partner", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "partner"]
    raw_id_fields = ["designation", "exhibition"]
    inlines = [DisbursementInline, DesignDeliverableInline]
