"""What the inquiry tests share: a public product, countries, and a valid form."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.inquiries.protection import form_started_token
from desadevisa.inquiries.selectors import privacy_notice_current
from desadevisa.inquiries.tests.factories import PrivacyNoticeFactory
from desadevisa.regions.tests.factories import CountryFactory

COUNTED = (
    "inquiries.Inquiry",
    "inquiries.ConsentRecord",
    "inquiries.InquiryEvent",
    "audit.AuditEvent",
    "notifications.Notification",
)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def countries(db):
    return {code: CountryFactory(code=code) for code in ("NL", "ID", "US", "KR")}


@pytest.fixture
def notice(db):
    return privacy_notice_current() or PrivacyNoticeFactory()


@pytest.fixture
def product(db):
    return ProductFactory(is_public=True, minimum_order=50, name_en="Djembe drum")


def started(seconds_ago: int = 30) -> str:
    """The start token of a form drawn ``seconds_ago``."""
    return form_started_token(now=timezone.now() - datetime.timedelta(seconds=seconds_ago))


def valid_data(notice, **changes) -> dict[str, object]:
    data = {
        "name": "Anneke de Vries",
        "company": "Ritme Import B.V.",
        "country": "NL",
        "email": "Anneke@Example.com",
        "phone": "+31 20 123 4567",
        "quantity": "120",
        "message": "Please quote 120 drums of 60 cm, FOB Surabaya.",
        "consent": "on",
        "notice_version": str(notice.version),
        "started": started(),
        "exhibition": "",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def create_url(product, language: str = "en") -> str:
    with translation.override(language):
        return reverse("inquiry:create", kwargs={"slug": product.slug})


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label)._default_manager.count() for label in COUNTED}
