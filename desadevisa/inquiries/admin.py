"""Administrators publish new versions of the privacy notice here.

A published version is never changed or deleted: consent records point to the text the buyer
agreed to. Inquiries are not in the admin: their personal data is read only on the staff
pages, where each view is recorded.
"""

from django.contrib import admin

from desadevisa.inquiries.models import PrivacyNotice


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ["version", "published_on", "created_at"]
    fields = ["version", "published_on", "text_id", "text_en"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
