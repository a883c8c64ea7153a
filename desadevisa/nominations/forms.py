"""Forms of the programme's pages: cycles, quotas, nominations and workflow steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from desadevisa.catalog.models import Product
from desadevisa.core.bounds import PROGRAMME_DATES
from desadevisa.core.editing import VersionedModelForm
from desadevisa.nominations.models import Nomination, ProgrammeCycle
from desadevisa.nominations.permissions import nomination_may_create
from desadevisa.regions.models import Province
from desadevisa.registry.forms import VillageCodeField


class ProgrammeCycleForm(VersionedModelForm):
    date_bounds = dict.fromkeys(("opens_on", "closes_on"), PROGRAMME_DATES)

    class Meta:
        model = ProgrammeCycle
        fields = [
            "year",
            "name",
            "opens_on",
            "closes_on",
            "min_craft_units",
            "min_membership_share",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }


class CycleDateOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        help_text=_("Why the cycle's nominations and decisions may be taken outside its dates."),
        error_messages={"required": _("Give the reason for the override: it is required.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    until = forms.DateField(
        label=_("In effect until"),
        required=False,
        help_text=_("Leave blank for an override without an end."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ProvinceQuotaForm(forms.Form):
    """One field per province: the villages it may have nominated in the cycle, blank for
    none."""

    def __init__(self, data=None, *, provinces, current: dict[str, int]) -> None:
        super().__init__(data)
        self.provinces = list(provinces)
        for province in self.provinces:
            self.fields[self.field_name(province.code)] = forms.IntegerField(
                label=province.name,
                required=False,
                min_value=1,
                max_value=32767,
                initial=current.get(province.code),
                error_messages={"min_value": _("A quota is a positive number of villages.")},
            )

    @staticmethod
    def field_name(code: str) -> str:
        return f"province_{code}"

    def allowed(self) -> dict[str, int | None]:
        return {
            province.code: self.cleaned_data.get(self.field_name(province.code))
            for province in self.provinces
        }


def _product_label(product: Product) -> str:
    return f"{product.name_en} — {product.village.name} ({product.village_id})"


class NominationForm(VersionedModelForm):
    """The village (by its code), its flagship product and the supporting statement."""

    village = VillageCodeField()

    class Meta:
        model = Nomination
        fields = ["village", "flagship_product", "statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, products, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is not None and not self.is_bound:
            self.initial["village"] = self.instance.village_id
        field = self.fields["flagship_product"]
        field.queryset = products
        field.label_from_instance = _product_label
        field.help_text = _("A product made in the village.")

    def clean_village(self):
        village = self.cleaned_data["village"]
        if not nomination_may_create(user=self.user, village=village):
            raise forms.ValidationError(
                _("You may nominate only villages of your own provinces."), code="outside_scope"
            )
        return village

    def clean(self):
        cleaned = super().clean()
        village, product = cleaned.get("village"), cleaned.get("flagship_product")
        if village and product and product.village_id != village.pk:
            self.add_error(
                "flagship_product", _("The flagship product must be made in the village.")
            )
        return cleaned


class NominationCreateForm(NominationForm):
    class Meta(NominationForm.Meta):
        fields = ["cycle", "village", "flagship_product", "statement"]

    def __init__(self, *args, cycles, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UniquenessReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Unique: confirm")), ("refuse", _("Not unique: refuse"))],
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuotaRequestForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Programme cycle"), queryset=ProgrammeCycle.objects.none(), empty_label=None
    )
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), empty_label=None
    )
    places = forms.IntegerField(label=_("Additional places"), min_value=1, max_value=500)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        help_text=_("Say which ready villages wait and why the province needs more places."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, cycles, provinces, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles
        self.fields["province"].queryset = provinces


class QuotaAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant the places asked")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer to the province"),
        required=False,
        max_length=5000,
        help_text=_("Required when declining."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
