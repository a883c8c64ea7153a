"""Factories for exhibitions, their venues and display items."""

import datetime

import factory
from factory.django import DjangoModelFactory

from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.showcase.models import DisplayItem, Exhibition, ExhibitionVenue


class ExhibitionFactory(DjangoModelFactory):
    class Meta:
        model = Exhibition

    name_id = factory.Sequence(lambda n: f"Pameran Desa Devisa {n}")
    name_en = factory.Sequence(lambda n: f"Desa Devisa fair {n}")
    slug = factory.Sequence(lambda n: f"desa-devisa-fair-{n}")
    starts_on = datetime.date(2022, 3, 1)
    ends_on = datetime.date(2022, 12, 31)
    description_id = "Produk desa dipamerkan kepada pembeli."
    description_en = "Village products shown to buyers."


class ExhibitionVenueFactory(DjangoModelFactory):
    class Meta:
        model = ExhibitionVenue

    exhibition = factory.SubFactory(ExhibitionFactory)
    name = factory.Sequence(lambda n: f"Convention Center {n}")
    city = "Jakarta"


class DisplayItemFactory(DjangoModelFactory):
    class Meta:
        model = DisplayItem

    exhibition = factory.SubFactory(ExhibitionFactory)
    product = factory.SubFactory(ProductFactory, is_public=True)
    note_id = "Dibuat dengan tangan."
    note_en = "Made by hand."
    position = factory.Sequence(lambda n: n + 1)
