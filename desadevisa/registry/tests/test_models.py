import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.models import CraftUnit, Membership, OrganisationKind, VillageProfile
from desadevisa.registry.tests.factories import (
    CraftUnitFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 3, 1)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


def test_village_profile_starts_at_the_village_centroid():
    village = VillageFactory(latitude=Decimal("-8.138720"), longitude=Decimal("112.167437"))

    profile = VillageProfile.objects.create(village=village, flagship_commodity="Kendang djimbe")

    profile.refresh_from_db()
    assert (profile.latitude, profile.longitude) == (Decimal("-8.138720"), Decimal("112.167437"))


def test_village_profile_keeps_refined_coordinates():
    village = VillageFactory(latitude=Decimal("-8.138720"), longitude=Decimal("112.167437"))

    profile = VillageProfile.objects.create(
        village=village,
        flagship_commodity="Kendang djimbe",
        latitude=Decimal("-8.140000"),
        longitude=Decimal("112.170000"),
    )

    profile.refresh_from_db()
    assert (profile.latitude, profile.longitude) == (Decimal("-8.140000"), Decimal("112.170000"))


def test_village_profile_refuses_a_latitude_without_longitude():
    village = VillageFactory(latitude=None, longitude=None)

    with transaction.atomic(), pytest.raises(IntegrityError, match="location_complete"):
        VillageProfile.objects.create(
            village=village, flagship_commodity="Kendang djimbe", latitude=Decimal("-8.1")
        )


def test_registration_number_is_unique_per_kind():
    OrganisationFactory(kind=OrganisationKind.COOPERATIVE, registration_number="AHU-1")

    with transaction.atomic(), pytest.raises(IntegrityError):
        OrganisationFactory(kind=OrganisationKind.COOPERATIVE, registration_number="AHU-1")


def test_same_registration_number_may_belong_to_organisations_of_different_kinds():
    OrganisationFactory(kind=OrganisationKind.COOPERATIVE, registration_number="AHU-1")

    OrganisationFactory(kind=OrganisationKind.ASSOCIATION, registration_number="AHU-1")


def test_registration_number_cannot_be_blank():
    with transaction.atomic(), pytest.raises(IntegrityError, match="registration_number_not_blank"):
        OrganisationFactory(registration_number="")


def test_workers_cannot_be_negative():
    with transaction.atomic(), pytest.raises(IntegrityError):
        CraftUnitFactory(workers_women=-1)


def test_business_id_is_thirteen_digits():
    unit = CraftUnitFactory.build(village=VillageFactory(), business_id="912000123456")

    with pytest.raises(ValidationError) as error:
        unit.full_clean()

    assert error.value.message_dict == {
        "business_id": ["A business ID (NIB) is exactly 13 digits."]
    }


def test_business_id_is_optional():
    unit = CraftUnitFactory.build(village=VillageFactory(), business_id="")

    unit.full_clean()


def test_membership_cannot_end_before_it_starts():
    with transaction.atomic(), pytest.raises(IntegrityError, match="membership_ends_after_start"):
        MembershipFactory(started_on=DAY, ended_on=DAY - datetime.timedelta(days=1))


def test_membership_ending_before_it_starts_is_explained_on_validation():
    membership = MembershipFactory.build(
        craft_unit=CraftUnitFactory(),
        organisation=OrganisationFactory(),
        started_on=DAY,
        ended_on=DAY - datetime.timedelta(days=1),
    )

    with pytest.raises(ValidationError) as error:
        membership.full_clean()

    assert error.value.messages == ["A membership cannot end before it starts."]


def test_membership_may_end_on_the_day_it_starts():
    MembershipFactory(started_on=DAY, ended_on=DAY)


def test_unit_has_one_running_membership_per_organisation():
    membership = MembershipFactory()

    with transaction.atomic(), pytest.raises(IntegrityError):
        MembershipFactory(craft_unit=membership.craft_unit, organisation=membership.organisation)


def test_current_memberships_are_those_running_on_the_day():
    running = MembershipFactory(started_on=DAY - datetime.timedelta(days=30))
    last_day_today = MembershipFactory(started_on=datetime.date(2020, 1, 1), ended_on=DAY)
    MembershipFactory(started_on=datetime.date(2020, 1, 1), ended_on=DAY - datetime.timedelta(1))
    MembershipFactory(started_on=DAY + datetime.timedelta(days=1))

    current = Membership.objects.current(on=DAY)

    assert set(current) == {running, last_day_today}


def test_current_members_are_units_in_a_cooperative_or_association():
    village = VillageFactory()
    in_cooperative, in_association, in_bumdes, former = CraftUnitFactory.create_batch(
        4, village=village
    )
    for unit, kind in [
        (in_cooperative, OrganisationKind.COOPERATIVE),
        (in_association, OrganisationKind.ASSOCIATION),
        (in_bumdes, OrganisationKind.VILLAGE_ENTERPRISE),
    ]:
        MembershipFactory(craft_unit=unit, organisation__kind=kind)
    MembershipFactory(craft_unit=former, ended_on=datetime.date(2021, 6, 30))

    members = CraftUnit.objects.filter(village=village).current_members(on=DAY)

    assert set(members) == {in_cooperative, in_association}


def test_unit_counts_its_workers_of_both_genders():
    unit = CraftUnitFactory.build(workers_women=5, workers_men=11)

    assert unit.workers == 16
