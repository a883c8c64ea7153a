"""Forms of the registry's staff pages: they validate input; the services write it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from desadevisa.accounts.scopes import user_scope
from desadevisa.core.editing import VersionedModelForm
from desadevisa.regions.models import VILLAGE_CODE, Village
from desadevisa.registry.models import (
    CraftUnit,
    Membership,
    Organisation,
    VillageProfile,
)
from desadevisa.registry.permissions import (
    craft_unit_can_create,
    craft_unit_creator_organisations,
    organisation_can_create,
    village_profile_can_create,
)

# Sane upper bounds: a typing slip of a few extra digits is refused rather than recorded.
MAX_WORKERS = 100_000
MAX_MONTHLY_CAPACITY = 10_000_000
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VillageCodeField(forms.CharField):
    """A village chosen by its official code (``35.05.10.2001``), typed or filled in by the
    village search; cleans to the Village."""

    default_error_messages = {
        "unknown": _("No village has the official code “%(code)s”."),
        "format": _("Give the village's official code, such as 35.05.10.2001."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Village code"))
        kwargs.setdefault(
            "help_text", _("The official code of the village, such as 35.05.10.2001.")
        )
        super().__init__(max_length=13, **kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        if not VILLAGE_CODE.fullmatch(code):
            raise forms.ValidationError(self.error_messages["format"], code="format")
        village = Village.objects.select_related("province").filter(code=code).first()
        if village is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": code}
            )
        return village


def _refuse_outside(message) -> forms.ValidationError:
    return forms.ValidationError(message, code="outside_scope")


# Village profiles ----------------------------------------------------------------------------


class VillageProfileForm(VersionedModelForm):
    class Meta:
        model = VillageProfile
        fields = [
            "flagship_commodity",
            "latitude",
            "longitude",
            "story_id",
            "story_en",
            "is_public",
        ]


class VillageProfileCreateForm(VillageProfileForm):
    village = VillageCodeField()

    class Meta(VillageProfileForm.Meta):
        fields = ["village", *VillageProfileForm.Meta.fields]

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_village(self):
        village = self.cleaned_data["village"]
        if not village_profile_can_create(user=self.user, village=village):
            raise _refuse_outside(_("You may add profiles only for villages in your provinces."))
        if VillageProfile.objects.filter(village=village).exists():
            raise forms.ValidationError(_("This village already has a profile."), code="duplicate")
        return village


# Organisations -------------------------------------------------------------------------------


class OrganisationForm(VersionedModelForm):
    class Meta:
        model = Organisation
        fields = ["kind", "legal_name", "registration_number", "address"]


class OrganisationCreateForm(OrganisationForm):
    village = VillageCodeField()

    class Meta(OrganisationForm.Meta):
        fields = [*OrganisationForm.Meta.fields, "village"]

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_village(self):
        village = self.cleaned_data["village"]
        if not organisation_can_create(user=self.user, village=village):
            raise _refuse_outside(
                _("You may register organisations only in villages of your provinces.")
            )
        return village


# Craft units ---------------------------------------------------------------------------------


class CraftUnitForm(VersionedModelForm):
    workers_women = forms.IntegerField(
        label=_("Women workers"), min_value=0, max_value=MAX_WORKERS, initial=0
    )
    workers_men = forms.IntegerField(
        label=_("Men workers"), min_value=0, max_value=MAX_WORKERS, initial=0
    )
    monthly_capacity = forms.IntegerField(
        label=_("Monthly capacity"), min_value=0, max_value=MAX_MONTHLY_CAPACITY
    )

    class Meta:
        model = CraftUnit
        fields = [
            "name",
            "owner_name",
            "workers_women",
            "workers_men",
            "monthly_capacity",
            "capacity_unit",
            "business_id",
            "is_active",
        ]


class CraftUnitCreateForm(CraftUnitForm):
    """A new unit: its village by code, or, for an organisation manager, the organisation it
    joins (the unit is registered in that organisation's village)."""

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.organisations = craft_unit_creator_organisations(user=user)
        scope = user_scope(user)
        self.by_organisation = not (scope.is_national or scope.province_codes)
        if self.by_organisation:
            field = forms.ModelChoiceField(
                queryset=self.organisations,
                label=_("Organisation"),
                help_text=_(
                    "The unit is registered in this organisation's village and joins it today."
                ),
                empty_label=None,
            )
            if len(self.organisations) == 1:
                field.widget = forms.HiddenInput()
                field.initial = self.organisations[0].pk
            self.fields["organisation"] = field
        else:
            self.fields["village"] = VillageCodeField()
        self.order_fields(["village", "organisation"])

    def clean(self):
        cleaned = super().clean()
        if self.by_organisation:
            organisation = cleaned.get("organisation")
            cleaned["village"] = organisation.village if organisation else None
        village = cleaned.get("village")
        if village is None:
            return cleaned
        if not craft_unit_can_create(user=self.user, village=village):
            self.add_error(
                "village",
                _refuse_outside(
                    _("You may register craft units only in villages of your provinces.")
                ),
            )
        elif (
            cleaned.get("name")
            and CraftUnit.objects.filter(village=village, name=cleaned["name"]).exists()
        ):
            self.add_error("name", _("This village already has a craft unit with this name."))
        return cleaned


# Memberships ---------------------------------------------------------------------------------


class MembershipForm(VersionedModelForm):
    class Meta:
        model = Membership
        fields = ["started_on", "ended_on"]
        widgets = {"started_on": DATE_INPUT, "ended_on": DATE_INPUT}


class MembershipCreateForm(MembershipForm):
    craft_unit = forms.ModelChoiceField(
        queryset=CraftUnit.objects.none(), label=_("Craft unit"), empty_label=None
    )

    class Meta(MembershipForm.Meta):
        fields = ["craft_unit", *MembershipForm.Meta.fields]

    def __init__(self, *args, craft_units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["craft_unit"].queryset = craft_units


# Photos --------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """One or several files; each is checked by ``photos_process`` in the service."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleImageField, self).clean(item, initial) for item in files if item]
        if not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


class PhotoUploadForm(forms.Form):
    photos = MultipleImageField(
        label=_("Photos"),
        help_text=_("One or several JPEG, PNG or WebP pictures."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class PhotoForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=32_767,
        help_text=_("Photos are shown in increasing position; the first is the cover."),
    )
