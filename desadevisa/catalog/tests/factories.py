"""Factories for products and photos, and for the HS codes they are classified under."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from desadevisa.catalog.models import HSCode, HSLevel, Product, ProductPhoto
from desadevisa.core.tests.files import PhotoFactory
from desadevisa.regions.tests.factories import VillageFactory

HS_LEVELS = {2: HSLevel.CHAPTER, 4: HSLevel.HEADING, 6: HSLevel.SUBHEADING}


class HSCodeFactory(DjangoModelFactory):
    """An HS chapter, heading or subheading, found by its code when it exists.

    The parent (chapter of a heading, heading of a subheading) is created with it.
    """

    class Meta:
        model = HSCode
        django_get_or_create = ["code"]

    code = "9206"
    level = factory.LazyAttribute(lambda o: HS_LEVELS[len(o.code)])
    description = factory.LazyAttribute(lambda o: f"HS {o.code}")
    parent = factory.LazyAttribute(
        lambda o: HSCodeFactory(code=o.code[:-2]) if len(o.code) > 2 else None
    )


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    name_id = factory.Sequence(lambda n: f"Kendang Djimbe {n}")
    name_en = factory.Sequence(lambda n: f"Djembe drum {n}")
    slug = factory.Sequence(lambda n: f"kendang-djimbe-{n}")
    hs_code = factory.SubFactory(HSCodeFactory)
    village = factory.SubFactory(VillageFactory)
    materials = "Mahogany wood, goat skin"
    uniqueness_statement = "Carved by hand from one piece of mahogany."
    origin_statement = "Made in the village's workshops."
    price_min = Decimal("12.00")
    price_max = Decimal("95.00")
    minimum_order = 50
    lead_time_days = 45
    monthly_capacity = 1000

    @factory.post_generation
    def craft_units(self, create, extracted, **kwargs):
        if create and extracted:
            self.craft_units.set(extracted)


class ProductPhotoFactory(PhotoFactory):
    class Meta:
        model = ProductPhoto

    product = factory.SubFactory(ProductFactory)
    caption = "Kendang djimbe"
    position = factory.Sequence(lambda n: n)
