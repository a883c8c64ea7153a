"""The support forms: a support item (the common fields and those of every kind; the service
keeps only the item's own), a disbursement and a design deliverable."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from desadevisa.core.bounds import PROGRAMME_DATES
from desadevisa.core.editing import record_version
from desadevisa.support.models import (
    KIND_FIELD_EMPTY,
    DesignDeliverable,
    Disbursement,
    SupportItem,
)
from desadevisa.support.services import COMMON_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FIELDS = ("starts_on", "ends_on", "approved_on")


class SupportItemForm(forms.Form):
    """A support item. On creation the kind is chosen with the rest; an item keeps its kind,
    so the edit form has none. Only the fields of the item's kind are saved."""

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)
    date_bounds = dict.fromkeys(DATE_FIELDS, PROGRAMME_DATES)

    def __init__(self, data=None, *, item: SupportItem | None = None) -> None:
        names = [*COMMON_FIELDS, *KIND_FIELD_EMPTY]
        if item is None:
            names.insert(0, "kind")
        initial: dict[str, Any] = {}
        if item is not None:
            initial = {**model_to_dict(item, fields=names), "seen_version": record_version(item)}
        super().__init__(data, initial=initial)
        widgets = dict.fromkeys(DATE_FIELDS, DATE)
        self.fields.update(fields_for_model(SupportItem, fields=names, widgets=widgets))
        for name in self.fields:
            if name not in ("kind", "title", "partner", "status", "starts_on"):
                self.fields[name].required = False

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "seen_version"}


class DisbursementForm(forms.ModelForm):
    date_bounds = {"disbursed_on": PROGRAMME_DATES}

    class Meta:
        model = Disbursement
        fields = ["disbursed_on", "amount_idr", "note"]
        widgets = {"disbursed_on": DATE}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def _post_clean(self) -> None:
        """The service checks the tranche against its item; the form only reads the input."""


class DesignDeliverableForm(forms.ModelForm):
    """A deliverable of a product design item; the service checks the dates and the file."""

    file = forms.FileField(label=_("File"), required=False)
    date_bounds = {"delivered_on": PROGRAMME_DATES}

    class Meta:
        model = DesignDeliverable
        fields = ["title", "delivered_on"]
        widgets = {"delivered_on": DATE}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["file"].help_text = _(
            "A PDF document or a JPEG, PNG or WebP picture, up to %(limit)s MB."
        ) % {"limit": settings.UPLOAD_DOCUMENT_MAX_BYTES // (1024 * 1024)}

    def _post_clean(self) -> None:
        """The service checks the deliverable against its item; the form only reads the input."""
