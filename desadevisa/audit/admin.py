from django.contrib import admin

from desadevisa.audit.models import AuditEvent
from desadevisa.core.admin import ReadOnlyModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
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
