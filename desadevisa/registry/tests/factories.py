"""Factories for the registry; the regions its records stand on come from the regions app."""

import datetime

import factory
from factory.django import DjangoModelFactory

from desadevisa.core.tests.files import PhotoFactory
from desadevisa.regions.models import Village
from desadevisa.regions.tests.factories import (
    DistrictFactory,
    ProvinceFactory,
    RegencyFactory,
    VillageFactory,
)
from desadevisa.registry.models import (
    CraftUnit,
    CraftUnitPhoto,
    Membership,
    Organisation,
    OrganisationKind,
    VillageProfile,
    VillageProfilePhoto,
)


def village_with_parents(code: str, *, names: dict[str, str]) -> Village:
    """The village with this official code and its district, regency and province.

    ``names`` maps each code of the path (``"35"``, ``"35.05"``, ...) to its name.
    """
    province, regency, district = code[:2], code[:5], code[:8]
    return VillageFactory(
        code=code,
        name=names[code],
        district=DistrictFactory(
            code=district,
            name=names[district],
            regency=RegencyFactory(
                code=regency,
                name=names[regency],
                province=ProvinceFactory(code=province, name=names[province]),
            ),
        ),
    )


class VillageProfileFactory(DjangoModelFactory):
    class Meta:
        model = VillageProfile

    village = factory.SubFactory(VillageFactory)
    flagship_commodity = "Kendang djimbe"
    story_id = "Banyak rumah tangga di desa ini membuat kendang djimbe."
    story_en = "Many households in this village make djembe drums."


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.COOPERATIVE
    legal_name = factory.Sequence(lambda n: f"Koperasi Pengrajin {n}")
    registration_number = factory.Sequence(lambda n: f"AHU-{n:07d}.AH.01.26.TAHUN 2020")
    address = "Jl. Raya Desa No. 1"
    village = factory.SubFactory(VillageFactory)


class CraftUnitFactory(DjangoModelFactory):
    class Meta:
        model = CraftUnit

    name = factory.Sequence(lambda n: f"Bengkel Kendang {n}")
    owner_name = factory.Faker("name", locale="id_ID")
    village = factory.SubFactory(VillageFactory)
    workers_women = 4
    workers_men = 6
    monthly_capacity = 200


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    craft_unit = factory.SubFactory(CraftUnitFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, village=factory.SelfAttribute("..craft_unit.village")
    )
    started_on = datetime.date(2020, 1, 1)
    ended_on = None


class VillageProfilePhotoFactory(PhotoFactory):
    class Meta:
        model = VillageProfilePhoto

    profile = factory.SubFactory(VillageProfileFactory)
    caption = "Workshops by the road"


class CraftUnitPhotoFactory(PhotoFactory):
    class Meta:
        model = CraftUnitPhoto

    craft_unit = factory.SubFactory(CraftUnitFactory)
    caption = "Carving the body"
