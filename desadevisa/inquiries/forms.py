"""Forms of the inquiry pages: the buyer's public form and the staff's pipeline move."""

from __future__ import annotations

import unicodedata

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from desadevisa.inquiries.models import (
    MESSAGE_MAX_LENGTH,
    QUANTITY_MAX,
    Inquiry,
    InquiryStatus,
    PrivacyNotice,
)
from desadevisa.inquiries.protection import (
    FormTiming,
    form_started_token,
    form_timing_check,
)
from desadevisa.regions.models import Country

# Categories of characters a one-line field refuses: controls (CR, LF, tab, NUL...) and the
# Unicode line and paragraph separators. Nothing a buyer types can then split an e-mail header.
LINE_BREAKING = frozenset({"Cc", "Zl", "Zp"})
# A message may hold line breaks and tabs, but no other control character.
MESSAGE_ALLOWED_CONTROLS = frozenset("\n\r\t")
COMMENT_MAX_LENGTH = 2000

TIMING_ERRORS = {
    FormTiming.TOO_FAST: _(
        "The form was sent too quickly after it opened. Please check your details and send it "
        "again."
    ),
    FormTiming.EXPIRED: _(
        "The form was open for too long. Please check your details and send it again."
    ),
    FormTiming.TAMPERED: _("The form could not be checked. Please send it again."),
}


def validate_single_line(value: str) -> None:
    """Refuse line breaks and other control characters in a one-line field."""
    if any(unicodedata.category(char) in LINE_BREAKING for char in value):
        raise ValidationError(
            _("Write this on one line, without line breaks or control characters."),
            code="not_single_line",
        )


def validate_message_text(value: str) -> None:
    """Refuse control characters other than line breaks and tabs in a message."""
    if any(
        unicodedata.category(char) == "Cc" and char not in MESSAGE_ALLOWED_CONTROLS
        for char in value
    ):
        raise ValidationError(
            _("The message contains control characters; please remove them."),
            code="control_characters",
        )


def normalised_email(value: str) -> str:
    """An e-mail address as inquiries store and compare it: trimmed, in lower case."""
    return value.strip().lower()


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Country) -> str:
        return obj.name_id if get_language() == "id" else obj.name_en


class InquiryForm(forms.Form):
    """The buyer's inquiry about one product (``product``), under the notice in force.

    Refuses a quantity below the product's minimum order, a phone number that is not valid
    for the chosen country (or internationally written), consent not given, a notice that
    changed while the form was open, and a form sent too fast or with a changed start token.
    The honeypot field is declared so it is drawn; the view deals with it before validation.
    """

    name = forms.CharField(label=_("Your name"), max_length=200, validators=[validate_single_line])
    company = forms.CharField(
        label=_("Company"), max_length=200, required=False, validators=[validate_single_line]
    )
    country = CountryChoiceField(
        label=_("Country"),
        queryset=Country.objects.none(),
        empty_label=_("Choose your country"),
        error_messages={"invalid_choice": _("Choose a country from the list.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={"invalid": _("Enter a valid e-mail address, such as name@example.com.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        validators=[validate_single_line],
        help_text=_("Optional. With the country code, such as +31 20 123 4567."),
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=QUANTITY_MAX)
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        validators=[validate_message_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Optional. Sizes, finishes, delivery port or anything else you would like to ask."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my details are used to answer this inquiry, as the privacy notice "
            "explains."
        ),
        error_messages={
            "required": _(
                "Please agree to be contacted about this inquiry, or we cannot answer it."
            )
        },
    )
    notice_version = forms.IntegerField(widget=forms.HiddenInput)
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    exhibition = forms.SlugField(widget=forms.HiddenInput, required=False, max_length=220)
    # The honeypot (protection.HONEYPOT_FIELD): people never see it, some robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, product, notice: PrivacyNotice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.product = product
        self.notice = notice
        self.fields["country"].queryset = Country.objects.order_by(
            "name_id" if get_language() == "id" else "name_en"
        )
        self.fields["quantity"].help_text = gettext(
            "The minimum order is %(minimum)s (%(unit)s)."
        ) % {"minimum": product.minimum_order, "unit": product.get_order_unit_display()}
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["company"].widget.attrs["autocomplete"] = "organization"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        if not self.is_bound:
            self.initial.setdefault("notice_version", notice.version)
            self.initial["started"] = form_started_token()

    def clean_email(self) -> str:
        return normalised_email(self.cleaned_data["email"])

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data["quantity"]
        if quantity < self.product.minimum_order:
            raise ValidationError(
                gettext(
                    "The minimum order for this product is %(minimum)s (%(unit)s); please ask "
                    "for at least that many."
                )
                % {
                    "minimum": self.product.minimum_order,
                    "unit": self.product.get_order_unit_display(),
                },
                code="below_minimum_order",
            )
        return quantity

    def clean_notice_version(self) -> int:
        version = self.cleaned_data["notice_version"]
        if version != self.notice.version:
            # Drawn again with the notice in force, so agreeing once more can succeed.
            self.data = self.data.copy()
            self.data["notice_version"] = self.notice.version
            self.data.pop("consent", None)
            raise ValidationError(
                _(
                    "The privacy notice changed while the form was open. Please read it and "
                    "agree again."
                ),
                code="notice_changed",
            )
        return version

    def clean(self) -> dict:
        cleaned = super().clean()
        timing = form_timing_check(self.data.get("started", ""))
        if timing != FormTiming.VALID:
            # A new start time, so that sending again after reading the message can succeed.
            self.data = self.data.copy()
            self.data["started"] = form_started_token()
            raise ValidationError(TIMING_ERRORS[timing], code=f"timing_{timing}")
        phone = cleaned.get("phone", "")
        if phone and "country" in cleaned:
            cleaned["phone"] = self._phone_e164(phone, cleaned["country"])
        elif phone and "country" not in cleaned:
            cleaned["phone"] = ""
        return cleaned

    def _phone_e164(self, phone: str, country: Country) -> str:
        try:
            number = phonenumbers.parse(phone, country.code)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            self.add_error(
                "phone",
                ValidationError(
                    _(
                        "Enter a valid phone number for the chosen country, or write it with "
                        "the country code, such as +31 20 123 4567."
                    ),
                    code="invalid_phone",
                ),
            )
            return ""
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def inquiry_values(self) -> dict:
        """The cleaned values the service writes."""
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "company": data["company"].strip(),
            "country": data["country"],
            "email": data["email"],
            "phone": data["phone"],
            "quantity": data["quantity"],
            "message": data["message"],
        }


class InquiryMoveForm(forms.Form):
    """A step of the pipeline: the target status, from the status the person saw, with a
    comment; the shipment when it shipped, the reason when it was lost."""

    from_status = forms.ChoiceField(choices=InquiryStatus.choices, widget=forms.HiddenInput)
    # Every status is accepted here: a move the pipeline does not allow is the service's to
    # refuse (409), the list drawn offers only the allowed ones.
    to_status = forms.ChoiceField(label=_("Move to"), choices=InquiryStatus.choices)
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shipment = forms.ModelChoiceField(
        label=_("Export shipment"),
        queryset=None,
        required=False,
        help_text=_("Required when the inquiry shipped: the shipment it became."),
    )
    lost_reason = forms.CharField(
        label=_("Why it was lost"),
        max_length=500,
        required=False,
        validators=[validate_single_line],
        help_text=_("Required when the inquiry is lost."),
    )

    def __init__(self, *args, inquiry: Inquiry, targets, shipments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].widget.choices = [(status, status.label) for status in targets]
        self.fields["shipment"].queryset = shipments
        self.fields["shipment"].error_messages["invalid_choice"] = _(
            "Choose one of the shipments listed."
        )
        self.fields["shipment"].label_from_instance = lambda shipment: (
            gettext("%(date)s, %(product)s to %(country)s (PEB %(peb)s)")
            % {
                "date": shipment.shipped_on.isoformat(),
                "product": shipment.product.name_id,
                "country": shipment.destination.name_en,
                "peb": shipment.peb_number or "—",
            }
        )
        self.initial.setdefault("from_status", inquiry.status)
        if targets:
            self.initial.setdefault("to_status", targets[0])

    def clean(self) -> dict:
        cleaned = super().clean()
        target = cleaned.get("to_status")
        if (
            target == InquiryStatus.SHIPPED
            and not cleaned.get("shipment")
            and "shipment" not in self.errors
        ):
            self.add_error("shipment", _("Choose the export shipment this inquiry became."))
        if target == InquiryStatus.LOST and not cleaned.get("lost_reason", "").strip():
            self.add_error("lost_reason", _("Say why the inquiry was lost."))
        return cleaned
