"""``{{ record|choice_label:"kind" }}``: the label of the choice a record's field holds.

Django's ``get_<field>_display()`` rebuilds the table of its field's choices on every call, and
hashing each lazily translated label translates it again: a page listing hundreds of records
spent more time there than in its queries. This filter builds each field's table once per
language.
"""

from functools import cache

from django import template
from django.db.models import Field, Model
from django.utils.translation import get_language

register = template.Library()


@register.filter
def choice_label(record: Model, name: str) -> object:
    """The label of the value of ``record``'s field ``name`` in the active language; the value
    itself when it is not one of the choices, as ``get_<field>_display()`` does."""
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    return _labels(field, get_language()).get(value, value)


@cache
def _labels(field: Field, language: str | None) -> dict[object, str]:
    # Called with the active language, so the labels are translated into that language.
    return {value: str(label) for value, label in field.flatchoices}
