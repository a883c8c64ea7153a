"""Display cards: one A6 page per display item, not blank, with the product's names, its
village, the exhibition and a QR code that reads as the item's scan address."""

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.urls import reverse
from django.utils import translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.tests.factories import ProductPhotoFactory
from desadevisa.core.tests.pdf import pdf_link_uris
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.showcase.cards import MEDIA_BASE, CardFetcher, cards_pdf
from desadevisa.showcase.selectors import display_item_card_list
from desadevisa.showcase.tests.factories import DisplayItemFactory, ExhibitionFactory

# A6 portrait in PDF points (105 x 148 mm).
A6_PORTRAIT = (298, 420)
SITE = "https://desadevisa.example"


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def exhibition(db, jawa_timur):
    exhibition = ExhibitionFactory(
        name_id="Desa Devisa di G20 Indonesia 2022", name_en="Desa Devisa at G20 Indonesia 2022"
    )
    village = VillageFactory(district__regency__province=jawa_timur, name="Minggirsari")
    djembe = DisplayItemFactory(
        exhibition=exhibition,
        product__village=village,
        product__name_id="Kendang Djimbe",
        product__name_en="Djembe drum",
        position=1,
    )
    ProductPhotoFactory(product=djembe.product, is_cover=True)
    DisplayItemFactory(
        exhibition=exhibition,
        product__village=village,
        product__name_id="Kursi Rotan",
        product__name_en="Rattan chair",
        position=2,
    )
    return exhibition


def pdf_of(exhibition, user) -> bytes:
    return cards_pdf(
        exhibition=exhibition, items=display_item_card_list(user=user, exhibition=exhibition)
    )


def text_of(page) -> str:
    """The page's text with line breaks and runs of spaces as single spaces."""
    return " ".join(page.get_textpage().get_text_range().split())


def non_white_share(page) -> float:
    image = page.render(scale=1).to_pil().convert("L")
    histogram = image.histogram()
    return sum(histogram[:240]) / sum(histogram)


def test_there_is_one_a6_portrait_page_per_item(exhibition, programme_officer):
    document = pdfium.PdfDocument(pdf_of(exhibition, programme_officer))

    assert len(document) == 2
    assert [tuple(round(side) for side in page.get_size()) for page in document] == [
        A6_PORTRAIT,
        A6_PORTRAIT,
    ]


def test_a_card_is_not_blank(exhibition, programme_officer):
    document = pdfium.PdfDocument(pdf_of(exhibition, programme_officer))

    assert non_white_share(document[0]) > 0.1


def test_a_card_names_the_product_in_both_languages_its_village_and_the_exhibition(
    exhibition, programme_officer
):
    item = exhibition.display_items.first()
    document = pdfium.PdfDocument(pdf_of(exhibition, programme_officer))

    text = text_of(document[0])
    for expected in (
        "Kendang Djimbe",
        "Djembe drum",
        "Minggirsari, Jawa Timur",
        "Desa Devisa di G20 Indonesia 2022",
        "Desa Devisa at G20 Indonesia 2022",
        f"desadevisa.example/s/{item.code}/",
    ):
        assert expected in text


def test_the_qr_code_of_a_card_reads_as_the_items_scan_address(exhibition, programme_officer):
    first, second = exhibition.display_items.all()
    document = pdfium.PdfDocument(pdf_of(exhibition, programme_officer))

    decoded = []
    for page in document:
        [barcode] = zxingcpp.read_barcodes(page.render(scale=200 / 72).to_pil())
        decoded.append((barcode.format, barcode.text))

    qr = zxingcpp.BarcodeFormat.QRCode
    assert decoded == [(qr, f"{SITE}/s/{first.code}/"), (qr, f"{SITE}/s/{second.code}/")]


def test_the_cover_photo_is_drawn_from_storage(exhibition, programme_officer):
    with_photo, without_photo = pdfium.PdfDocument(pdf_of(exhibition, programme_officer))

    # The brown test picture fills the photo band; the card without a photo has a pale band.
    band_with = with_photo.render(scale=1).to_pil().convert("RGB").getpixel((148, 80))
    band_without = without_photo.render(scale=1).to_pil().convert("RGB").getpixel((148, 80))
    assert band_with[0] < 200
    assert band_with[2] < 100
    assert band_without[0] > 200


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/tracker.png",
        "file:///etc/passwd",
        MEDIA_BASE + "products/another-photo.jpg",
        MEDIA_BASE + "../secret.txt",
        "https://static.desadevisa.invalid/../../settings.py",
    ],
)
def test_the_fetcher_refuses_any_address_but_the_cards_photos_and_static_files(url):
    fetcher = CardFetcher(["products/card/photo.jpg"])

    with pytest.raises(ValueError, match="Refused to fetch"):
        fetcher.fetch(url)


def test_the_cards_page_downloads_the_pdf_and_records_it(client, exhibition, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(reverse("exhibitions:cards", kwargs={"pk": exhibition.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(pdfium.PdfDocument(response.content)) == 2
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert event.summary == "display cards: 2"


def test_the_card_of_one_item_is_one_page(client, exhibition, programme_officer):
    item = exhibition.display_items.last()
    sign_in_verified(client, programme_officer)

    response = client.get(reverse("exhibitions:item-card", kwargs={"pk": item.pk}))

    document = pdfium.PdfDocument(response.content)
    assert len(document) == 1
    assert "Rattan chair" in text_of(document[0])


def test_a_provincial_officer_gets_the_cards_of_their_provinces_items_only(
    client, exhibition, provincial_officer
):
    DisplayItemFactory(exhibition=exhibition, product__name_en="Batik from elsewhere")
    sign_in_verified(client, provincial_officer)

    response = client.get(reverse("exhibitions:cards", kwargs={"pk": exhibition.pk}))

    document = pdfium.PdfDocument(response.content)
    assert len(document) == 2
    assert all("Batik from elsewhere" not in text_of(page) for page in document)


def test_an_item_whose_product_is_not_public_has_no_card(client, exhibition, programme_officer):
    item = exhibition.display_items.first()
    item.product.is_public = False
    item.product.save()
    sign_in_verified(client, programme_officer)

    response = client.get(reverse("exhibitions:item-card", kwargs={"pk": item.pk}))

    assert response.status_code == 409
    assert "There is no card to print: only products shown on the public showcase get one" in (
        response.content.decode()
    )


def test_every_link_of_the_cards_starts_with_the_public_address(exhibition, programme_officer):
    pdf = pdf_of(exhibition, programme_officer)

    links = set(pdf_link_uris(pdf))

    first, second = exhibition.display_items.all()
    assert links == {f"{SITE}/s/{first.code}/", f"{SITE}/s/{second.code}/"}
