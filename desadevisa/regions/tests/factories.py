"""Factories for regions and countries.

Regions and countries are reference data: these factories find a row by its code when it
exists, so tests can name the real codes they need (``VillageFactory(code="35.05.10.2001")``).
"""

import gettext
from decimal import Decimal

import factory
import pycountry
from factory.django import DjangoModelFactory

from desadevisa.regions.models import Country, District, Province, Regency, Village


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{90 + n % 10}")
    name = factory.Sequence(lambda n: f"Provinsi {n}")


class RegencyFactory(DjangoModelFactory):
    class Meta:
        model = Regency
        django_get_or_create = ["code"]

    province = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.province.code}.{n % 69 + 1:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten {n}")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    regency = factory.SubFactory(RegencyFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.regency.code}.{n % 99 + 1:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan {n}")


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ["code"]

    district = factory.SubFactory(DistrictFactory)
    province = factory.LazyAttribute(lambda o: o.district.regency.province)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.district.code}.{2001 + n % 999}")
    name = factory.Sequence(lambda n: f"Desa {n}")
    latitude = Decimal("-8.138720")
    longitude = Decimal("112.167437")


def _country_names(code: str) -> tuple[str, str]:
    country = pycountry.countries.get(alpha_2=code)
    name = getattr(country, "common_name", None) or country.name
    indonesian = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=True
    )
    return name, indonesian.gettext(name)


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = "US"
    alpha3 = factory.LazyAttribute(lambda o: pycountry.countries.get(alpha_2=o.code).alpha_3)
    name_en = factory.LazyAttribute(lambda o: _country_names(o.code)[0])
    name_id = factory.LazyAttribute(lambda o: _country_names(o.code)[1])
