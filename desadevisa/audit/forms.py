"""The filters of the audit list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.regions.models import Province


class DateInput(forms.DateInput):
    input_type = "date"


class AuditEventFilterForm(forms.Form):
    """Narrow the audit list; every field is optional and an invalid one is left out."""

    actor = forms.CharField(label=_("Actor's username"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *AuditAction.choices]
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    occurred_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    occurred_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The platform's own models only: neither framework tables nor the trail itself are
        # audited objects.
        labels = [
            config.label
            for config in apps.get_app_configs()
            if config.name.startswith("desadevisa.") and config.label != AuditEvent._meta.app_label
        ]
        self.content_types = {
            str(content_type.pk): content_type
            for content_type in ContentType.objects.filter(app_label__in=labels)
        }
        self.fields["object_type"].choices = [
            ("", _("Any object type")),
            *sorted(
                (
                    (pk, capfirst(content_type.name))
                    for pk, content_type in self.content_types.items()
                ),
                key=lambda choice: choice[1],
            ),
        ]
        self.fields["province"].choices = [
            ("", _("Any province")),
            *Province.objects.order_by("name").values_list("code", "name"),
        ]

    def clean_object_type(self) -> ContentType | None:
        return self.content_types.get(self.cleaned_data["object_type"])

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        start, end = cleaned_data.get("occurred_from"), cleaned_data.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", _("The end date is before the start date."))
        return cleaned_data

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of ``audit_event_list`` for the fields that are valid."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "actor_username": data.get("actor", ""),
            "action": data.get("action", ""),
            "content_type": data.get("object_type"),
            "province_code": data.get("province", ""),
            "occurred_from": data.get("occurred_from"),
            "occurred_to": data.get("occurred_to"),
        }
