"""The designation certificate: its PDF, its QR code leading to the verification page, and who
may download it."""

import datetime

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from django.utils import translation
from weasyprint.urls import URLFetcher

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.core.editing import record_version
from desadevisa.core.models import DataOrigin
from desadevisa.core.tests.pdf import pdf_link_uris
from desadevisa.nominations.certificates import (
    STATIC_BASE,
    StaticFilesFetcher,
    certificate_pdf,
    static_file_path,
)
from desadevisa.nominations.designations import (
    designation_decide,
    designation_detail,
    designation_status_change,
    verification_code_display,
)
from desadevisa.nominations.models import DesignationStatus, NominationState
from desadevisa.nominations.tests.factories import NominationFactory, ProgrammeCycleFactory
from desadevisa.regions.tests.factories import VillageFactory

# A4 landscape in PDF points.
A4_LANDSCAPE = (842, 595)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def designation(db, jawa_timur, programme_officer):
    village = VillageFactory(
        district__regency__province=jawa_timur,
        district__regency__name="Kabupaten Blitar",
        name="Minggirsari",
    )
    nomination = NominationFactory(
        cycle=ProgrammeCycleFactory(year=2022, name="Desa Devisa 2022"),
        flagship_product=ProductFactory(
            village=village, name_id="Kendang Djimbe", name_en="Djembe drum"
        ),
        state=NominationState.VISITED,
    )
    return designation_decide(
        nomination=nomination,
        decree_number="KEP-042/DD/XI/2022",
        designated_on=datetime.date(2022, 11, 22),
        comment="",
        actor=programme_officer,
    )


def certificate_url(designation) -> str:
    return f"/en/programme/designations/{designation.pk}/certificate.pdf"


def download(client, designation, user):
    sign_in_verified(client, user)
    return client.get(certificate_url(designation))


def first_page(content: bytes):
    document = pdfium.PdfDocument(content)
    return document, document[0]


def page_text(page) -> str:
    return page.get_textpage().get_text_range()


# The PDF ------------------------------------------------------------------------------------


def test_the_certificates_links_start_with_the_public_address(
    client, designation, provincial_officer
):
    response = download(client, designation, provincial_officer)

    links = set(pdf_link_uris(response.content))

    assert links == {f"{settings.SITE_URL}/verify/{designation.verification_code}/"}


def test_the_certificates_qr_code_opens_its_verification_page_which_says_it_is_genuine(
    client, designation, provincial_officer
):
    response = download(client, designation, provincial_officer)
    _document, page = first_page(response.content)

    image = page.render(scale=150 / 72).to_pil()
    [barcode] = zxingcpp.read_barcodes(image)

    expected = f"https://desadevisa.example.go.id/verify/{designation.verification_code}/"
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == expected
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    page_response = visitor.get(barcode.text.removeprefix(settings.SITE_URL), follow=True)
    assert page_response.redirect_chain == [(f"/en/verify/{designation.verification_code}/", 302)]
    assert page_response.status_code == 200
    assert page_response.context["verdict"] == "designated"
    assert "Genuine and valid" in page_response.content.decode()


def test_the_certificate_is_one_a4_landscape_page_with_the_decision_in_both_languages(
    client, designation, provincial_officer
):
    response = download(client, designation, provincial_officer)
    document, page = first_page(response.content)

    assert len(document) == 1
    assert tuple(round(side) for side in page.get_size()) == A4_LANDSCAPE
    text = page_text(page)
    for expected in (
        "Sertifikat Desa Devisa",
        "Desa Devisa Certificate",
        "Minggirsari",
        "Kabupaten Blitar",
        "Jawa Timur",
        "Kendang Djimbe",
        "Djembe drum",
        "Desa Devisa 2022",
        "KEP-042/DD/XI/2022",
        "22 November 2022",
        verification_code_display(designation.verification_code),
        f"https://desadevisa.example.go.id/verify/{designation.verification_code}/",
    ):
        assert expected in text, expected


def test_the_certificate_is_a_pdf_attachment_kept_out_of_caches(
    client, designation, provincial_officer
):
    response = download(client, designation, provincial_officer)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="sertifikat-desa-devisa-{designation.verification_code}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")


def test_the_download_is_recorded_in_the_audit_trail(client, designation, provincial_officer):
    download(client, designation, provincial_officer)

    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert (event.actor, event.object_id, event.summary, event.province_code) == (
        provincial_officer,
        str(designation.pk),
        "certificate",
        "35",
    )


def test_a_demonstration_certificate_says_so(designation, programme_officer):
    designation.origin = DataOrigin.DEMO
    designation.save(update_fields=["origin"])
    loaded = designation_detail(user=programme_officer, pk=designation.pk)

    pdf = certificate_pdf(
        designation=loaded, verify_url="https://desadevisa.example.go.id/verify/X/"
    )

    _document, page = first_page(pdf)
    assert "Data contoh · Demonstration data" in page_text(page)


# Refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (DesignationStatus.UNDER_REVIEW, "Under review"),
        (DesignationStatus.LAPSED, "Lapsed"),
        (DesignationStatus.REVOKED, "Revoked"),
    ],
)
def test_no_certificate_while_the_designation_is_not_designated(
    client, designation, programme_officer, provincial_officer, status, label
):
    designation_status_change(
        designation=designation,
        status=status,
        reason="Sedang diperiksa.",
        seen_version=record_version(designation),
        actor=programme_officer,
    )

    response = download(client, designation, provincial_officer)

    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert (
        f"There is no certificate while the designation is “{label}”: only a designated "
        "village has one."
    ) in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


def test_an_officer_of_another_province_gets_404_for_the_certificate(client, two_provinces):
    response = download(
        client, two_provinces.jawa_timur.designation, two_provinces.jawa_tengah.officer
    )

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


def test_the_certificate_answers_405_to_a_post(client, designation, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(certificate_url(designation))

    assert response.status_code == 405


# No network while drawing -------------------------------------------------------------------


def test_the_fetcher_serves_the_certificates_static_files():
    response = StaticFilesFetcher().fetch(f"{STATIC_BASE}nominations/certificate.css")

    assert response.content_type == "text/css"
    assert b"A4 landscape" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://static.desadevisa.invalid/nominations/certificate.css",
        "file:///etc/passwd",
        f"{STATIC_BASE}../../../../etc/passwd",
        f"{STATIC_BASE}%2e%2e/%2e%2e/etc/passwd",
        f"{STATIC_BASE}nominations/missing.css",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_every_other_address(url):
    assert static_file_path(url) is None
    with pytest.raises(ValueError, match="Refused to fetch"):
        StaticFilesFetcher().fetch(url)


def test_the_fetcher_stops_the_drawing_on_a_refused_address():
    assert isinstance(StaticFilesFetcher(), URLFetcher)
    assert StaticFilesFetcher()._fail_on_errors is True


def test_the_certificate_view_reads_its_designation_in_a_constant_number_of_queries(
    designation, programme_officer, django_assert_num_queries
):
    with django_assert_num_queries(1):
        loaded = designation_detail(user=programme_officer, pk=designation.pk)
        str(loaded.nomination.village.district.regency.name)
        str(loaded.nomination.village.province.name)
        str(loaded.nomination.flagship_product.name_en)
        str(loaded.nomination.cycle.name)
