from django import forms
from django.utils.translation import gettext_lazy as _

from desadevisa.imports.models import ImportKind
from desadevisa.imports.permissions import import_kinds_allowed


class ImportStartForm(forms.Form):
    """Choose what the file holds (among the kinds the person may import) and the file."""

    kind = forms.ChoiceField(label=_("The file holds"))
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("The first row holds the column headers, in English or Indonesian."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = import_kinds_allowed(user=user)
        self.fields["kind"].choices = [
            (value, label) for value, label in ImportKind.choices if value in allowed
        ]
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
