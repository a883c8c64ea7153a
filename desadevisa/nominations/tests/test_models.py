import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.nominations.models import (
    VERIFICATION_CODE_ALPHABET,
    NominationState,
    ProgrammeCycle,
    verification_code_generate,
)
from desadevisa.nominations.tests.factories import (
    DesignationFactory,
    NominationFactory,
    ProgrammeCycleFactory,
    ProvinceQuotaFactory,
)
from desadevisa.regions.tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


def test_cycle_has_the_default_eligibility_thresholds():
    cycle = ProgrammeCycleFactory()

    assert (cycle.min_craft_units, cycle.min_membership_share) == (3, 100)


def test_there_is_one_cycle_per_year():
    ProgrammeCycleFactory(year=2022)

    with transaction.atomic(), pytest.raises(IntegrityError):
        ProgrammeCycle.objects.create(
            year=2022,
            name="Desa Devisa 2022 (bis)",
            opens_on=datetime.date(2022, 1, 1),
            closes_on=datetime.date(2022, 10, 31),
        )


def test_cycle_cannot_close_before_it_opens():
    with transaction.atomic(), pytest.raises(IntegrityError, match="closes_after_opening"):
        ProgrammeCycleFactory(
            year=2023, opens_on=datetime.date(2023, 6, 1), closes_on=datetime.date(2023, 5, 31)
        )


def test_membership_share_above_one_hundred_percent_is_refused():
    with transaction.atomic(), pytest.raises(IntegrityError, match="share_is_percentage"):
        ProgrammeCycleFactory(year=2023, min_membership_share=101)


def test_province_has_one_quota_per_cycle():
    quota = ProvinceQuotaFactory()

    with transaction.atomic(), pytest.raises(IntegrityError):
        ProvinceQuotaFactory(cycle=quota.cycle, province=quota.province, allowed=20)


def test_quota_cannot_be_negative():
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProvinceQuotaFactory(allowed=-1)


def test_village_has_one_standing_nomination_per_cycle():
    nomination = NominationFactory()

    with transaction.atomic(), pytest.raises(IntegrityError):
        NominationFactory(cycle=nomination.cycle, flagship_product=nomination.flagship_product)


def test_village_may_be_nominated_again_after_a_withdrawal():
    withdrawn = NominationFactory(state=NominationState.WITHDRAWN)

    again = NominationFactory(cycle=withdrawn.cycle, flagship_product=withdrawn.flagship_product)

    assert again.state == NominationState.DRAFT


def test_village_may_be_nominated_in_another_cycle():
    earlier = NominationFactory(cycle=ProgrammeCycleFactory(year=2021))

    NominationFactory(
        cycle=ProgrammeCycleFactory(year=2022), flagship_product=earlier.flagship_product
    )


def test_flagship_product_is_made_in_the_nominated_village():
    nomination = NominationFactory.build(
        cycle=ProgrammeCycleFactory(), flagship_product=ProductFactory(), village=VillageFactory()
    )

    with pytest.raises(ValidationError) as error:
        nomination.full_clean()

    assert error.value.message_dict == {
        "flagship_product": ["The flagship product must be made in the village."]
    }


def test_verification_code_is_twelve_unambiguous_characters():
    code = verification_code_generate()

    assert len(code) == 12
    assert set(code) <= set(VERIFICATION_CODE_ALPHABET)
    assert not set(code) & set("01ILOU")


def test_each_designation_gets_its_own_verification_code():
    first, second = DesignationFactory(), DesignationFactory()

    assert first.verification_code != second.verification_code
    assert len(first.verification_code) == 12
