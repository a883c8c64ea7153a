"""Optimistic locking for edit forms: a form saved over a newer version of its record says so
instead of overwriting it.

The version a person edited is the record's ``updated_at`` when the form was drawn, carried in
a hidden field. The update service locks the row and compares:

    class CraftUnitForm(VersionedModelForm):
        class Meta: ...

    @transaction.atomic
    def craft_unit_update(*, craft_unit, actor, data, seen_version):
        craft_unit = record_lock_for_edit(CraftUnit, pk=craft_unit.pk, seen_version=seen_version)
        ...

The view catches ``EditConflict`` and draws the form again with the message and the current
values linked, status 409.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TypeVar

from django import forms
from django.db.models import Model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ModelT = TypeVar("ModelT", bound=Model)

VERSION_FIELD = "seen_version"


class EditConflict(Exception):
    """Someone saved the record after the form was opened; nothing was written."""

    message = _(
        "Someone else saved this record after you opened the form. Your changes were not "
        "saved: reload the page to see the current version, then make your changes again."
    )

    def __str__(self) -> str:
        return str(self.message)


def record_version(obj: Model) -> str:
    """The version token of a saved record: its last save time, to the microsecond."""
    updated_at: datetime.datetime = obj.updated_at
    return updated_at.isoformat()


def record_lock_for_edit(model: type[ModelT], *, pk, seen_version: str) -> ModelT:
    """Lock the row ``pk`` of ``model`` for the rest of the transaction and return it, or raise
    EditConflict when it changed since ``seen_version``.

    Call inside ``transaction.atomic``. PostgreSQL locks the row; SQLite's IMMEDIATE
    transactions already hold the database's write lock.
    """
    current = model._default_manager.select_for_update().get(pk=pk)
    if record_version(current) != seen_version:
        raise EditConflict
    return current


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version of the record it edits in a hidden field.

    ``seen_version`` in ``cleaned_data`` is what the update service compares; a new record has
    an empty version.
    """

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields[VERSION_FIELD].initial = record_version(self.instance)


class RecordInUse(Exception):
    """A record cannot be deleted while other rows depend on it; nothing was deleted."""

    def __init__(self, record: Model, dependants: Sequence[tuple[str, int]]) -> None:
        self.record = record
        self.dependants = dependants
        super().__init__(str(self))

    def __str__(self) -> str:
        rows = ", ".join(f"{label}: {count}" for label, count in self.dependants)
        return gettext(
            "“%(record)s” cannot be deleted while other records depend on it (%(rows)s). "
            "Delete or move those first."
        ) % {"record": self.record, "rows": rows}
