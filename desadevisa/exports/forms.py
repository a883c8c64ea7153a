"""Input of the export pages: shipments, the totals page and the exchange-rate table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from desadevisa.core.bounds import SHIPMENT_DATES
from desadevisa.core.editing import VersionedModelForm
from desadevisa.core.uploads import CheckedDocument, document_process
from desadevisa.exports.models import ExchangeRate, ExportShipment
from desadevisa.exports.permissions import export_shipment_products
from desadevisa.exports.selectors import TOTAL_GROUPS
from desadevisa.exports.services import (
    QUANTITY_MAX,
    SHIPMENT_FIELDS,
    VALUE_IDR_MAX,
    VALUE_MAX,
    VALUE_USD_MAX,
)
from desadevisa.regions.models import Country

# The largest rate the table takes: rupiah per unit of any currency in use stays far below.
RATE_MAX = Decimal("1000000000")

peb_number_validator = RegexValidator(
    r"^[0-9]+$",
    _("The PEB number is made of digits only."),
    code="invalid_peb_number",
)


def _not_above(value: Decimal, ceiling: Decimal, message) -> None:
    if value > ceiling:
        raise forms.ValidationError(message, code="too_large", params={"max": f"{ceiling:,}"})


class CountryField(forms.Field):
    """A country typed by its name (English or Indonesian) or its ISO code (2 or 3 letters).

    The page lists "Name (CODE)" suggestions; that form is accepted too.
    """

    default_error_messages = {
        "unknown": _(
            "“%(value)s” is not a country. Type its name, or its ISO code such as JP or JPN."
        ),
    }

    widget = forms.TextInput

    def to_python(self, value: Any) -> Country | None:
        text = str(value or "").strip()[:100]
        if not text:
            return None
        if text.endswith(")") and "(" in text:
            text = text[text.rindex("(") + 1 : -1].strip()
        condition = Q(name_en__iexact=text) | Q(name_id__iexact=text)
        if len(text) == 2:
            condition |= Q(code__iexact=text)
        elif len(text) == 3:
            condition |= Q(alpha3__iexact=text)
        country = Country.objects.filter(condition).order_by("code").first()
        if country is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        return country

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Country):
            return f"{value.name_en} ({value.code})"
        if isinstance(value, str) and len(value) == 2:
            country = Country.objects.filter(code=value).first()
            return f"{country.name_en} ({country.code})" if country else value
        return value


class ExportShipmentForm(VersionedModelForm):
    """A shipment, its values in IDR and USD (left empty to convert them at the rate table)
    and its evidence document. ``user`` limits the products to those they may change."""

    destination = CountryField(
        label=_("Destination country"),
        help_text=_("Its name or its ISO code, such as Japan, JP or JPN."),
        widget=forms.TextInput(
            attrs={"list": "countries", "autocomplete": "off", "maxlength": 100}
        ),
    )
    evidence_file = forms.FileField(
        label=_("Evidence document"),
        required=False,
        help_text=_("The export declaration or invoice: a PDF, JPEG or PNG file."),
    )
    remove_evidence = forms.BooleanField(label=_("Remove the evidence document"), required=False)
    date_bounds = {"shipped_on": SHIPMENT_DATES}

    class Meta:
        model = ExportShipment
        fields = [
            "product",
            "destination",
            "shipped_on",
            "quantity",
            "unit",
            "value",
            "currency",
            "value_idr",
            "value_usd",
            "peb_number",
        ]
        widgets = {"shipped_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "value_idr": _("Leave empty to convert the value at the exchange-rate table."),
            "value_usd": _("Leave empty to convert the value at the exchange-rate table."),
            "currency": _("Its ISO 4217 code, such as USD, EUR or IDR."),
            "peb_number": _("Digits only; leave empty when there is none."),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        products = export_shipment_products(user=user).order_by("name_id", "pk")
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda product: (
            f"{product.name_id} · {product.village.name}"
        )
        self.fields["value_idr"].required = False
        self.fields["value_usd"].required = False
        self.fields["peb_number"].validators.append(peb_number_validator)
        self.fields["peb_number"].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk is None or not self.instance.evidence:
            del self.fields["remove_evidence"]

    def clean_quantity(self) -> Decimal:
        quantity = self.cleaned_data["quantity"]
        if quantity <= 0:
            raise forms.ValidationError(_("The quantity must be more than zero."), code="min")
        _not_above(
            quantity, QUANTITY_MAX, _("The quantity is more than %(max)s: check the number.")
        )
        return quantity

    def clean_value(self) -> Decimal:
        return self._positive_value("value", VALUE_MAX)

    def clean_value_idr(self) -> Decimal | None:
        return self._positive_value("value_idr", VALUE_IDR_MAX)

    def clean_value_usd(self) -> Decimal | None:
        return self._positive_value("value_usd", VALUE_USD_MAX)

    def _positive_value(self, name: str, ceiling: Decimal) -> Decimal | None:
        value = self.cleaned_data[name]
        if value is None:
            return None
        if value <= 0:
            raise forms.ValidationError(_("The value must be more than zero."), code="min")
        _not_above(value, ceiling, _("The value is more than %(max)s: check the number."))
        return value

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].strip().upper()

    def clean_evidence_file(self) -> CheckedDocument | None:
        """The evidence as it is stored (``core.uploads.document_process``), or None."""
        upload = self.cleaned_data["evidence_file"]
        return document_process(upload) if upload else None

    def shipment_values(self) -> dict[str, Any]:
        """The shipment's fields as the services take them."""
        return {name: self.cleaned_data[name] for name in SHIPMENT_FIELDS}


class ShipmentTotalsForm(forms.Form):
    """The grouping and year of the totals page; unknown values fall back to the defaults."""

    group = forms.ChoiceField(
        label=_("Totals per"),
        choices=[
            ("village", _("Village")),
            ("product", _("Product")),
            ("country", _("Destination country")),
            ("year", _("Year")),
        ],
        required=False,
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]

    def chosen(self) -> tuple[str, int | None]:
        """The group (``village`` unless another valid one was asked for) and year or None."""
        group, year = "village", None
        if self.is_valid():
            group = self.cleaned_data["group"] or "village"
            year = self.cleaned_data["year"]
        else:
            group = self.data.get("group") if self.data.get("group") in TOTAL_GROUPS else group
        return group, year


class ExchangeRateForm(VersionedModelForm):
    """One rate of the table: currency, first day and rupiah per unit."""

    class Meta:
        model = ExchangeRate
        fields = ["currency", "valid_from", "idr_per_unit"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"})}

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if currency == "IDR":
            raise forms.ValidationError(
                _("Rupiah need no exchange rate: choose another currency."), code="rupiah"
            )
        return currency

    def clean_idr_per_unit(self) -> Decimal:
        rate = self.cleaned_data["idr_per_unit"]
        if rate <= 0:
            raise forms.ValidationError(_("The rate must be more than zero."), code="min")
        _not_above(rate, RATE_MAX, _("The rate is more than %(max)s rupiah: check the number."))
        return rate

    def exchange_rate_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
