"""Forms of the catalog's staff pages: products and their photos."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from desadevisa.catalog.models import HSCode, HSLevel, Product, validate_currency_code
from desadevisa.catalog.permissions import product_maker_choices
from desadevisa.catalog.selectors import hs_code_for_product
from desadevisa.core.editing import VersionedModelForm
from desadevisa.core.uploads import ProcessedImage, image_process
from desadevisa.regions.models import Village

# Sane upper bounds: past them a figure is a typing mistake, not a product.
PRICE_LIMIT = Decimal("1000000000")
QUANTITY_LIMIT = 100_000_000
LEAD_TIME_LIMIT_DAYS = 365
# Photos sent in one upload.
PHOTOS_PER_UPLOAD = 10

PRODUCT_FIELDS = [
    "name_id",
    "name_en",
    "description_id",
    "description_en",
    "hs_code",
    "materials",
    "uniqueness_statement",
    "origin_statement",
    "craft_units",
    "price_min",
    "price_max",
    "currency",
    "minimum_order",
    "order_unit",
    "lead_time_days",
    "monthly_capacity",
    "is_public",
]


class CraftUnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.village.name})"


class HSCodeField(forms.CharField):
    """An HS heading or subheading typed as its code, with or without dots (``92.06``)."""

    default_error_messages = {
        "unknown": _("“%(code)s” is not a code of the HS nomenclature."),
        "level": _(
            "“%(code)s” is a chapter or a section: choose a heading (4 digits) or a "
            "subheading (6 digits) within it."
        ),
    }

    def prepare_value(self, value):
        if isinstance(value, HSCode):
            return value.code
        return value

    def clean(self, value) -> HSCode | None:
        text = super().clean(value)
        if not text:
            return None
        code = hs_code_for_product(text)
        if code is not None:
            return code
        digits = "".join(text.split()).replace(".", "")
        known = HSCode.objects.filter(code=digits[:6]).exclude(
            level__in=[HSLevel.HEADING, HSLevel.SUBHEADING]
        )
        if known.exists():
            raise ValidationError(self.error_messages["level"], code="level", params={"code": text})
        raise ValidationError(self.error_messages["unknown"], code="unknown", params={"code": text})


class ProductForm(VersionedModelForm):
    """A product's fields. The village is chosen when the product is created and kept after.

    Craft units are offered among those the person may name (``product_maker_choices``), in the
    product's village; units already recorded that the person may not name are kept as they are.
    """

    hs_code = HSCodeField(
        label=_("HS code"),
        max_length=20,
        help_text=_(
            "A heading (4 digits, such as 9206) or a subheading (6 digits, such as 920600). "
            "Type the code or words of its description."
        ),
    )
    price_min = forms.DecimalField(
        label=_("Lowest FOB price"),
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(PRICE_LIMIT)],
    )
    price_max = forms.DecimalField(
        label=_("Highest FOB price"),
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(PRICE_LIMIT)],
    )
    minimum_order = forms.IntegerField(
        label=_("Minimum order"),
        validators=[MinValueValidator(1), MaxValueValidator(QUANTITY_LIMIT)],
    )
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"),
        validators=[MinValueValidator(0), MaxValueValidator(LEAD_TIME_LIMIT_DAYS)],
    )
    monthly_capacity = forms.IntegerField(
        label=_("Monthly capacity"),
        help_text=_("In the order unit."),
        validators=[MinValueValidator(0), MaxValueValidator(QUANTITY_LIMIT)],
    )

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        widgets = {"craft_units": forms.CheckboxSelectMultiple}
        field_classes = {"craft_units": CraftUnitChoiceField}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        makers = product_maker_choices(user=user).select_related("village")
        if self.instance.pk is None:
            villages = Village.objects.filter(pk__in=makers.values("village_id")).order_by(
                "name", "code"
            )
            self.fields["village"] = forms.ModelChoiceField(
                label=_("Village"),
                queryset=villages,
                help_text=_("The village it is made in. It cannot be changed later."),
            )
            # A manager of one village's organisation has nothing to choose.
            only = list(villages[:2])
            if len(only) == 1:
                self.fields["village"].initial = only[0].pk
                self.fields["village"].empty_label = None
            self.order_fields(["village", *PRODUCT_FIELDS])
        else:
            makers = makers.filter(village_id=self.instance.village_id)
        self.fields["craft_units"].queryset = makers.order_by("name", "pk")
        self.fields["craft_units"].help_text = _("The craft units of the village that make it.")
        self.fields["hs_code"].widget.attrs.update(
            {
                "autocomplete": "off",
                "list": "hs-code-options",
                "data-hs-code-search": reverse("catalog:hs-code-search"),
            }
        )
        self.fields["currency"].widget.attrs.update({"maxlength": 3, "size": 4})

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        validate_currency_code(currency)
        return currency

    def clean(self):
        cleaned = super().clean()
        price_min, price_max = cleaned.get("price_min"), cleaned.get("price_max")
        if price_min is not None and price_max is not None and price_min > price_max:
            self.add_error("price_max", _("The highest price cannot be below the lowest price."))
        village = cleaned.get("village") if self.instance.pk is None else self.instance.village
        units = cleaned.get("craft_units") or []
        if village is not None and any(unit.village_id != village.pk for unit in units):
            self.add_error(
                "craft_units", _("Choose craft units of the village the product is made in.")
            )
        name_id = cleaned.get("name_id")
        if village is not None and name_id:
            taken = Product.objects.filter(village=village, name_id=name_id)
            if self.instance.pk is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("name_id", _("This village already has a product with this name."))
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """One or several photos, each checked and re-encoded by ``core.uploads.image_process``."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[ProcessedImage]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        files = [file for file in files if file]
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > PHOTOS_PER_UPLOAD:
            raise ValidationError(
                _("Upload at most %(limit)s photos at a time."),
                code="too_many",
                params={"limit": PHOTOS_PER_UPLOAD},
            )
        processed, errors = [], []
        for file in files:
            try:
                processed.append(image_process(file))
            except ValidationError as error:
                errors.extend(
                    ValidationError(
                        _("%(name)s: %(problem)s"),
                        code=error.code,
                        params={"name": file.name, "problem": message},
                    )
                    for message in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return processed


class ProductPhotoUploadForm(forms.Form):
    photos = MultiplePhotoField(
        label=_("Photos"),
        help_text=_("JPEG, PNG or WebP pictures; up to 10 at a time."),
    )
    caption = forms.CharField(
        label=_("Caption"),
        max_length=200,
        required=False,
        help_text=_("Given to each photo of this upload; you can change it later."),
    )


class ProductPhotoCaptionForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class ProductPhotoMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
