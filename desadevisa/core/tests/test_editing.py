import pytest
from django.db import transaction
from django.utils import translation

from desadevisa.core.editing import EditConflict, record_lock_for_edit, record_version
from desadevisa.registry.models import CraftUnit
from desadevisa.registry.tests.factories import CraftUnitFactory

pytestmark = pytest.mark.django_db


def test_a_record_unchanged_since_the_form_was_drawn_is_locked_and_returned():
    unit = CraftUnitFactory()

    with transaction.atomic():
        locked = record_lock_for_edit(CraftUnit, pk=unit.pk, seen_version=record_version(unit))

    assert locked == unit


def test_a_record_saved_since_the_form_was_drawn_is_a_conflict():
    unit = CraftUnitFactory()
    seen = record_version(unit)
    CraftUnit.objects.get(pk=unit.pk).save()

    with pytest.raises(EditConflict) as raised, transaction.atomic():
        record_lock_for_edit(CraftUnit, pk=unit.pk, seen_version=seen)

    with translation.override("en"):
        message = str(raised.value)
    assert message.startswith("Someone else saved this record after you opened the form.")


def test_a_missing_version_is_a_conflict():
    unit = CraftUnitFactory()

    with pytest.raises(EditConflict), transaction.atomic():
        record_lock_for_edit(CraftUnit, pk=unit.pk, seen_version="")
