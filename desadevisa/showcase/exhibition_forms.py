"""Forms of the exhibitions' staff pages: they validate input; ``showcase.exhibitions``
writes it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from desadevisa.catalog.models import Product
from desadevisa.core.bounds import PROGRAMME_DATES
from desadevisa.core.editing import VersionedModelForm
from desadevisa.showcase.models import DisplayItem, Exhibition, ExhibitionVenue

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExhibitionForm(VersionedModelForm):
    date_bounds = dict.fromkeys(("starts_on", "ends_on"), PROGRAMME_DATES)

    class Meta:
        model = Exhibition
        fields = [
            "name_id",
            "name_en",
            "slug",
            "starts_on",
            "ends_on",
            "description_id",
            "description_en",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "name_id": forms.TextInput(attrs={"lang": "id"}),
            "description_id": forms.Textarea(attrs={"lang": "id", "rows": 4}),
            "name_en": forms.TextInput(attrs={"lang": "en"}),
            "description_en": forms.Textarea(attrs={"lang": "en", "rows": 4}),
        }
        help_texts = {
            "slug": _(
                "The exhibition's address on the public site: lower-case letters, digits and "
                "hyphens, such as g20-indonesia-2022."
            ),
        }

    def exhibition_values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ExhibitionVenueForm(forms.ModelForm):
    date_bounds = {"held_on": PROGRAMME_DATES}

    class Meta:
        model = ExhibitionVenue
        fields = ["name", "city", "held_on"]
        widgets = {"held_on": DATE_INPUT}

    def __init__(self, *args, exhibition: Exhibition, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The unique name per exhibition is checked against this exhibition's venues.
        self.instance.exhibition = exhibition

    def venue_values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Product) -> str:
        return f"{obj.name_en} · {obj.name_id}"


class DisplayItemAddForm(forms.Form):
    """The product to display, by its number (the search on the page fills it in), and the
    notes shown with it."""

    product = ProductChoiceField(
        queryset=Product.objects.all(),
        widget=forms.HiddenInput,
        label=_("Product"),
        error_messages={
            "required": _("Choose the product to display."),
            "invalid_choice": _("No product has this number; search for it again."),
        },
    )
    note_id = forms.CharField(
        label=_("Note (Indonesian)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"lang": "id", "rows": 2}),
    )
    note_en = forms.CharField(
        label=_("Note (English)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"lang": "en", "rows": 2}),
    )


class DisplayItemForm(VersionedModelForm):
    class Meta:
        model = DisplayItem
        fields = ["note_id", "note_en"]
        widgets = {
            "note_id": forms.Textarea(attrs={"lang": "id", "rows": 3}),
            "note_en": forms.Textarea(attrs={"lang": "en", "rows": 3}),
        }

    def item_values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProductSearchForm(forms.Form):
    q = forms.CharField(label=_("Product name, slug or village"), required=False, max_length=100)
