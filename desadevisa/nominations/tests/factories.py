import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.nominations.models import (
    Designation,
    DesignationStatus,
    Nomination,
    NominationState,
    ProgrammeCycle,
    ProvinceQuota,
)
from desadevisa.regions.tests.factories import ProvinceFactory


class ProgrammeCycleFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeCycle
        django_get_or_create = ["year"]

    year = 2022
    name = factory.LazyAttribute(lambda o: f"Desa Devisa {o.year}")
    opens_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 1, 1))
    # Open today, whatever the year: tests reach the workflow's dated steps, and the cycle's
    # dates are tested with dates of their own.
    closes_on = factory.LazyAttribute(
        lambda o: max(datetime.date(o.year, 10, 31), timezone.localdate() + datetime.timedelta(365))
    )


class ProvinceQuotaFactory(DjangoModelFactory):
    class Meta:
        model = ProvinceQuota

    cycle = factory.SubFactory(ProgrammeCycleFactory)
    province = factory.SubFactory(ProvinceFactory)
    allowed = 15


class NominationFactory(DjangoModelFactory):
    class Meta:
        model = Nomination

    cycle = factory.SubFactory(ProgrammeCycleFactory)
    flagship_product = factory.SubFactory(ProductFactory)
    village = factory.SelfAttribute("flagship_product.village")
    statement = "Desa ini membuat kendang djimbe yang sudah diekspor."


class DesignationFactory(DjangoModelFactory):
    class Meta:
        model = Designation

    nomination = factory.SubFactory(NominationFactory, state=NominationState.DESIGNATED)
    decree_number = factory.Sequence(lambda n: f"KEP-{n:03d}/DD/XI/2021")
    designated_on = datetime.date(2021, 11, 22)
    status = DesignationStatus.DESIGNATED
