"""The bounds of every number and date the product accepts, for forms, imports and the API.

A value outside them is refused with a message in the reader's language before it reaches a
query or a column, so that no input can overflow a date calculation or an integer column.

- Dates: each kind of date has an earliest and a latest plausible day (``DateBounds``).
  Nothing the product records happened before Indonesia's independence (``EARLIEST_DATE``);
  things that happened (shipments) end today, plans may reach ``PLANNING_YEARS`` ahead.
- Integers: what the column holds on every database the product runs on (PostgreSQL's ranges,
  narrower than SQLite's), and zero or more where the model says positive.
- Decimals: the digits the column holds; not-a-number and infinity are refused.
- Text: a NUL character (which PostgreSQL can neither store nor query) is refused with a
  field error, in every field.
- Keys of chosen records (``ModelChoiceField``, ``ModelMultipleChoiceField``): a key beyond the
  key column's range is an invalid choice, never a query.

``install()`` (run once by ``CoreConfig.ready``) applies them to every Django form, so no form
can forget them: a form names the kind of its date fields in ``date_bounds``, a mapping from
field name to ``DateBounds``; other date fields get ``PLAUSIBLE_DATES``.
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Indonesia's proclamation of independence: no record of the programme is older.
EARLIEST_DATE = datetime.date(1945, 8, 17)
# How far ahead a plan (a cycle, a visit, a support item) may be dated.
PLANNING_YEARS = 10
# Each column type's range on PostgreSQL, which the SQLite database also respects.
INTEGER_RANGES: dict[str, tuple[int, int]] = dict(BaseDatabaseOperations.integer_field_ranges)
# A number typed into a form without a column of its own (a filter, a quantity asked for).
FORM_INTEGER_RANGE = INTEGER_RANGES["IntegerField"]
# A decimal of a form without a column of its own: up to a thousand trillion.
FORM_DECIMAL_LIMIT = decimal.Decimal(10) ** 15


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateBounds:
    """The plausible days of one kind of date: from ``earliest`` to ``years_ahead`` years
    after today (0: today at the latest, for things that happened)."""

    earliest: datetime.date
    years_ahead: int
    # What to say of a day after the latest, when this kind has words of its own for it.
    late_message: str | Promise | None = None

    def latest(self) -> datetime.date:
        return _years_after(timezone.localdate(), self.years_ahead)

    def error(self, day: datetime.date) -> str | None:
        """Why ``day`` is refused, in the current language, or None when it is plausible."""
        if day < self.earliest:
            return _("The date must be %(earliest)s or later.") % {
                "earliest": formats.date_format(self.earliest, "j F Y")
            }
        latest = self.latest()
        if day > latest:
            if self.late_message is not None:
                return str(self.late_message)
            if self.years_ahead == 0:
                return str(_("The date must not be in the future."))
            return _("The date must be %(latest)s or earlier.") % {
                "latest": formats.date_format(latest, "j F Y")
            }
        return None

    def check(self, day: datetime.date) -> None:
        """Raise ``ValidationError`` (code ``date_out_of_range``) when ``day`` is refused."""
        if (message := self.error(day)) is not None:
            raise ValidationError(message, code="date_out_of_range")


# Any date of the product: from independence to ten years ahead.
PLAUSIBLE_DATES = DateBounds(EARLIEST_DATE, PLANNING_YEARS)
# What has happened. Today at the latest.
PAST_DATES = DateBounds(EARLIEST_DATE, 0)
# A shipment is recorded once it has left.
SHIPMENT_DATES = DateBounds(
    EARLIEST_DATE,
    0,
    late_message=_("The shipping date is in the future. Record a shipment once it has left."),
)
# The programme's own dates: cycles, visits, designations, support, exhibitions. The export
# village programme started in 2019; older dates are typing errors.
PROGRAMME_DATES = DateBounds(datetime.date(2019, 1, 1), PLANNING_YEARS)


class DateBoundsValidator:
    """A form field validator: the field's date (or the date of its moment) within
    ``bounds``."""

    def __init__(self, bounds: DateBounds) -> None:
        self.bounds = bounds

    def __call__(self, value: Any) -> None:
        # A form's moment is in the current time zone: its date is the day as typed.
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            self.bounds.check(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateBoundsValidator) and other.bounds == self.bounds


def integer_range(internal_type: str) -> tuple[int, int] | None:
    """The values a column of ``internal_type`` (such as ``"PositiveIntegerField"``) holds."""
    return INTEGER_RANGES.get(internal_type)


def key_in_range(field: models.Field, value: Any) -> bool:
    """Whether ``value``, as a form posts it, could be a value of the integer column ``field``:
    True as well for values that are no integer at all, which the field itself refuses."""
    bounds = integer_range(field.get_internal_type())
    if bounds is None or isinstance(value, models.Model):
        return True
    try:
        number = int(str(value).strip())
    except ValueError:
        return True
    return bounds[0] <= number <= bounds[1]


def integer_argument(minimum: int, maximum: int):
    """An ``argparse`` type: a whole number from ``minimum`` to ``maximum``, else the
    command's usage error saying so."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or not minimum <= number <= maximum:
            raise argparse.ArgumentTypeError(
                _("Give a whole number from %(minimum)s to %(maximum)s.")
                % {"minimum": f"{minimum:,}", "maximum": f"{maximum:,}"}
            )
        return number

    return parse


def text_argument(text: str) -> str:
    """An ``argparse`` type: text without a NUL character, which no query may carry."""
    if "\x00" in text:
        raise argparse.ArgumentTypeError(str(NUL_MESSAGE))
    return text


def path_argument(text: str) -> Path:
    """An ``argparse`` type: a file or directory name, refused when it holds a NUL character,
    which no file name can."""
    if "\x00" in text:
        raise argparse.ArgumentTypeError(_("A file name cannot contain a NUL character."))
    return Path(text)


# Bounds of the fields of every form ------------------------------------------------------------


def _set_minimum(field: forms.Field, minimum: Any) -> None:
    if field.min_value is None or field.min_value < minimum:
        field.min_value = minimum
        field.validators.append(MinValueValidator(minimum))
        field.widget.attrs.setdefault("min", str(minimum))


def _set_maximum(field: forms.Field, maximum: Any) -> None:
    if field.max_value is None or field.max_value > maximum:
        field.max_value = maximum
        field.validators.append(MaxValueValidator(maximum))
        field.widget.attrs.setdefault("max", str(maximum))


NUL_MESSAGE = _("This text contains a character that is not allowed (a NUL character).")


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(isinstance(item, str) and "\x00" in item for item in value)
    return False


def _bounded_clean_bound_field(clean_bound_field):
    """Refuse a NUL character in any field's input before the field reads it: no column of
    PostgreSQL can hold it, and no query may carry it."""

    @functools.wraps(clean_bound_field)
    def wrapper(self: forms.Field, bound_field: forms.BoundField) -> Any:
        if not self.disabled and _holds_nul(bound_field.data):
            raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
        return clean_bound_field(self, bound_field)

    return wrapper


def bound_field(field: forms.Field, *, date_bounds: DateBounds = PLAUSIBLE_DATES) -> None:
    """Give one form field the product's bounds, keeping any narrower ones it has."""
    if isinstance(field, forms.DecimalField):
        if field.max_digits is None:
            _set_minimum(field, -FORM_DECIMAL_LIMIT)
            _set_maximum(field, FORM_DECIMAL_LIMIT)
    elif isinstance(field, forms.FloatField):
        _set_minimum(field, -float(FORM_DECIMAL_LIMIT))
        _set_maximum(field, float(FORM_DECIMAL_LIMIT))
    elif isinstance(field, forms.IntegerField):
        _set_minimum(field, FORM_INTEGER_RANGE[0])
        _set_maximum(field, FORM_INTEGER_RANGE[1])
    elif isinstance(field, forms.DateField | forms.DateTimeField):
        if not any(isinstance(v, DateBoundsValidator) for v in field.validators):
            field.validators.append(DateBoundsValidator(date_bounds))
            if isinstance(field, forms.DateField):
                field.widget.attrs.setdefault("min", date_bounds.earliest.isoformat())
                field.widget.attrs.setdefault("max", date_bounds.latest().isoformat())
    elif isinstance(field, forms.SplitDateTimeField):
        field.validators.append(DateBoundsValidator(date_bounds))


def bound_form(form: forms.BaseForm) -> None:
    """Give every field of ``form`` the product's bounds; once per form."""
    if getattr(form, "_bounded", False):
        return
    kinds: dict[str, DateBounds] = getattr(form, "date_bounds", {})
    for name, field in form.fields.items():
        bound_field(field, date_bounds=kinds.get(name, PLAUSIBLE_DATES))
    form._bounded = True


def _bounded_formfield(formfield):
    """Wrap a model field's ``formfield()`` so the form field refuses what the column cannot
    hold (and shows the range as the input's min and max)."""

    @functools.wraps(formfield)
    def wrapper(self: models.Field, **kwargs: Any) -> forms.Field | None:
        field = formfield(self, **kwargs)
        bounds = integer_range(self.get_internal_type())
        if bounds is not None and isinstance(field, forms.IntegerField) and not self.choices:
            _set_minimum(field, bounds[0])
            _set_maximum(field, bounds[1])
        return field

    return wrapper


def _bounded_full_clean(full_clean):
    @functools.wraps(full_clean)
    def wrapper(self: forms.BaseForm) -> None:
        bound_form(self)
        full_clean(self)

    return wrapper


def _key_field(field: forms.ModelChoiceField) -> models.Field:
    opts = field.queryset.model._meta
    if field.to_field_name:
        try:
            return opts.get_field(field.to_field_name)
        except FieldDoesNotExist:
            return opts.pk
    return opts.pk


def _bounded_choice_to_python(to_python):
    @functools.wraps(to_python)
    def wrapper(self: forms.ModelChoiceField, value: Any) -> Any:
        if value not in self.empty_values and not key_in_range(_key_field(self), value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return to_python(self, value)

    return wrapper


def _bounded_check_values(check_values):
    @functools.wraps(check_values)
    def wrapper(self: forms.ModelMultipleChoiceField, value: Iterable[Any]) -> Any:
        key = _key_field(self)
        if isinstance(value, list | tuple | set | frozenset):
            for pk in value:
                if not isinstance(pk, list | dict) and not key_in_range(key, pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return check_values(self, value)

    return wrapper


def install() -> None:
    """Apply the bounds to every form of the process: model form fields get their column's
    range, each form's fields the product's bounds before it cleans, chosen records' keys their
    column's range. Safe to call more than once."""
    if getattr(forms.BaseForm.full_clean, "applies_bounds", False):
        return
    models.IntegerField.formfield = _bounded_formfield(models.IntegerField.formfield)
    forms.BaseForm.full_clean = _bounded_full_clean(forms.BaseForm.full_clean)
    forms.BaseForm.full_clean.applies_bounds = True
    forms.Field._clean_bound_field = _bounded_clean_bound_field(forms.Field._clean_bound_field)
    forms.ModelChoiceField.to_python = _bounded_choice_to_python(forms.ModelChoiceField.to_python)
    forms.ModelMultipleChoiceField._check_values = _bounded_check_values(
        forms.ModelMultipleChoiceField._check_values
    )
