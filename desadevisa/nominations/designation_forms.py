"""Forms of the decision and designation pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from desadevisa.core.bounds import PROGRAMME_DATES, DateBounds
from desadevisa.core.editing import record_version
from desadevisa.nominations.designations import DESIGNATION_STATUS_CHOICES
from desadevisa.nominations.models import Designation, DesignationStatus

DECISION_DESIGNATE = "designate"
DECISION_REJECT = "reject"
# A decree is dated once signed: within the programme's years, today at the latest.
DECREE_DATES = DateBounds(
    PROGRAMME_DATES.earliest,
    0,
    late_message=_("The designation date cannot be in the future."),
)


class DesignationDecideForm(forms.Form):
    """Designate by decree: its number and date, and a comment for the nomination's history."""

    date_bounds = {"designated_on": DECREE_DATES}

    decree_number = forms.CharField(
        label=_("Decree number"),
        max_length=100,
        error_messages={"required": _("Enter the number of the designation decree.")},
    )
    designated_on = forms.DateField(
        label=_("Date of the decree"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the date of the designation decree."),
            "invalid": _("Enter the date as year-month-day, such as 2022-11-22."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NominationRejectForm(forms.Form):
    """Reject with the reasons, which the province reads on the nomination's history."""

    comment = forms.CharField(
        label=_("Reasons for the rejection"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the reasons for the rejection: they are required.")},
    )


class DesignationStatusForm(forms.Form):
    """The designation's new status and why; carries the version of the designation shown."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(status.value, status.label) for status in DESIGNATION_STATUS_CHOICES],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required for every status but designated. Staff only: the public page shows the "
            "status, never the reason."
        ),
    )
    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, designation: Designation) -> None:
        super().__init__(data)
        if not self.is_bound:
            self.fields["status"].initial = designation.status
            self.fields["seen_version"].initial = record_version(designation)

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != DesignationStatus.DESIGNATED and not cleaned.get("reason"):
            self.add_error("reason", _("Give the reason for this status: it is required."))
        return cleaned


class VerificationCodeForm(forms.Form):
    """The public form: type the code printed on a certificate."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_(
            "The twelve letters and digits printed under the QR code, such as ABCD-EFGH-JKMN."
        ),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
