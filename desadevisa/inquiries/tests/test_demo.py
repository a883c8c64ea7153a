"""The demonstration's buyer inquiries."""

import datetime

import pytest

from desadevisa.inquiries.models import Inquiry, InquiryStatus
from desadevisa.operations.demo import demo_load
from desadevisa.operations.tests.test_demo import media_root, reference  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(reference):  # noqa: F811
    return demo_load()


def test_a_g20_delegate_asks_about_minggirsari_s_djembe(demo):
    inquiry = Inquiry.objects.get(product__slug="kendang-djimbe-minggirsari")

    assert inquiry.is_demo
    assert inquiry.status == InquiryStatus.NEW
    assert inquiry.exhibition.slug == "g20-indonesia-2022"
    assert inquiry.consent.notice.version == 1


def test_trangsan_s_chair_inquiry_became_its_first_shipment_to_korea(demo):
    inquiry = Inquiry.objects.get(product__slug="kursi-rotan-trangsan")

    assert inquiry.status == InquiryStatus.SHIPPED
    assert (inquiry.shipment.destination_id, inquiry.shipment.shipped_on) == (
        "KR",
        datetime.date(2022, 4, 12),
    )
    earlier = inquiry.product.export_shipments.filter(shipped_on__lt=inquiry.shipment.shipped_on)
    assert "KR" not in set(earlier.values_list("destination_id", flat=True))
    assert list(inquiry.events.values_list("to_status", flat=True)) == [
        "new",
        "contacted",
        "samples_sent",
        "order",
        "shipped",
    ]


def test_loading_the_demo_again_adds_no_inquiry(demo):
    rows = list(Inquiry.objects.order_by("pk").values())

    again = demo_load()

    assert list(Inquiry.objects.order_by("pk").values()) == rows
    assert again.rows_written == 0
