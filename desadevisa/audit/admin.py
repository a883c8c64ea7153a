from django.contrib import admin
from django.http import HttpRequest

from desadevisa.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The trail, read-only: events are added by the platform and never edited by hand."""

    list_display = [
        "occurred_at",
        "actor_label",
        "action",
        "content_type",
        "object_repr",
        "province_code",
        "ip_address",
    ]
    list_filter = ["action"]
    list_select_related = ["content_type"]
    search_fields = ["actor_label", "object_id", "object_repr", "summary"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
