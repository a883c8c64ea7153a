"""Factories for privacy notices and buyer inquiries."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.inquiries.models import (
    ConsentPurpose,
    ConsentRecord,
    Inquiry,
    InquiryEvent,
    InquiryStatus,
    PrivacyNotice,
)
from desadevisa.inquiries.services import buyer_key
from desadevisa.regions.tests.factories import CountryFactory


class PrivacyNoticeFactory(DjangoModelFactory):
    """A notice, found by its version when it exists (the migrations write version 1)."""

    class Meta:
        model = PrivacyNotice
        django_get_or_create = ["version"]

    version = 1
    published_on = datetime.date(2022, 3, 1)
    text_id = "Pemberitahuan privasi. Data disimpan {retention_days} hari."
    text_en = "Privacy notice. Data is kept for {retention_days} days."


class InquiryFactory(DjangoModelFactory):
    """A new inquiry with its consent record and first event, as the public form writes it."""

    class Meta:
        model = Inquiry
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory, is_public=True)
    name = factory.Sequence(lambda n: f"Buyer {n}")
    company = factory.Sequence(lambda n: f"Importer {n} Ltd")
    country = factory.SubFactory(CountryFactory, code="NL")
    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    phone = "+31201234567"
    quantity = 100
    message = "Please send a quote."
    language = "en"
    status = InquiryStatus.NEW
    buyer_key = factory.LazyAttribute(lambda o: buyer_key(o.email))
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def consent(self, create, extracted, **kwargs):
        if create:
            ConsentRecord.objects.create(
                inquiry=self,
                notice=PrivacyNoticeFactory(),
                purpose=ConsentPurpose.INQUIRY_CONTACT,
                given_at=self.created_at,
            )
            InquiryEvent.objects.create(
                inquiry=self, from_status="", to_status=self.status, at=self.created_at
            )
