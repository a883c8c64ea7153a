"""The kiosk: a full-screen page of the exhibition's public products with their QR codes, and
the JSON feed its script polls: public fields only."""

import io
import json

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from weasyprint import HTML

from desadevisa.catalog.tests.factories import ProductPhotoFactory
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.showcase.tests.factories import DisplayItemFactory, ExhibitionFactory

pytestmark = pytest.mark.django_db

SITE = "https://desadevisa.example"


@pytest.fixture(autouse=True)
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = SITE


@pytest.fixture
def g20(jawa_timur):
    exhibition = ExhibitionFactory(slug="g20", name_en="Desa Devisa at G20")
    djembe = DisplayItemFactory(
        exhibition=exhibition,
        product__name_id="Kendang Djimbe",
        product__name_en="Djembe drum",
        product__village=VillageFactory(district__regency__province=jawa_timur, name="Minggirsari"),
        position=1,
    )
    ProductPhotoFactory(product=djembe.product, is_cover=True, caption="Djembe drums")
    DisplayItemFactory(exhibition=exhibition, product__is_public=False, position=2)
    return exhibition


def test_the_kiosk_is_a_page_of_its_own_with_a_heading_and_the_items(client, g20):
    response = client.get("/en/exhibitions/g20/kiosk/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "<title>Desa Devisa at G20 · Desa Devisa</title>" in html
    assert '<h1 class="kiosk__title" lang="en">Desa Devisa at G20</h1>' in html
    assert "Kendang Djimbe" in html
    assert "Djembe drum" in html
    assert html.count('class="kiosk-item"') == 1
    assert "site-header" not in html


def test_the_kiosk_has_no_inline_script_or_style(client, g20):
    html = client.get("/en/exhibitions/g20/kiosk/").content.decode()

    assert "<script>" not in html
    assert "<style" not in html
    assert "style=" not in html
    assert 'src="/static/showcase/js/kiosk.js" defer' in html


def test_the_kiosk_shows_each_items_qr_code_of_its_scan_address(client, g20):
    item = g20.display_items.first()
    html = client.get("/en/exhibitions/g20/kiosk/").content.decode()

    assert f"desadevisa.example/s/{item.code}/" in html
    assert 'src="data:image/svg+xml' in html


def test_the_feed_lists_the_public_items_with_public_fields_only(client, g20):
    item = g20.display_items.first()
    photo = item.product.photos.get()

    response = client.get("/en/exhibitions/g20/kiosk.json")

    data = response.json()
    assert response["Content-Type"] == "application/json"
    assert data["exhibition"] == {
        "slug": "g20",
        "name": "Desa Devisa at G20",
        "name_id": g20.name_id,
        "name_en": "Desa Devisa at G20",
    }
    [entry] = data["items"]
    assert set(entry) == {
        "code",
        "name_id",
        "name_en",
        "village",
        "province",
        "note",
        "photo",
        "scan_url",
        "scan_url_display",
        "qr_code",
    }
    assert entry["code"] == item.code
    assert (entry["name_id"], entry["name_en"]) == ("Kendang Djimbe", "Djembe drum")
    assert (entry["village"], entry["province"]) == ("Minggirsari", "Jawa Timur")
    assert entry["photo"]["url"] == f"/showcase/photos/product/{photo.pk}/full.jpg"
    assert entry["photo"]["alt"] == "Djembe drums"
    assert entry["scan_url"] == f"{SITE}/s/{item.code}/"
    assert entry["qr_code"].startswith("data:image/svg+xml")


def test_the_feed_holds_no_private_field(client, g20):
    text = client.get("/en/exhibitions/g20/kiosk.json").content.decode()

    for private in ("price", "minimum_order", "capacity", "craft_unit", "created", "origin"):
        assert private not in text
    assert json.loads(text)["items"][0]["photo"]["url"].startswith("/showcase/photos/")


def test_the_feeds_qr_code_reads_as_the_scan_address(client, g20):
    entry = client.get("/en/exhibitions/g20/kiosk.json").json()["items"][0]

    # Draw the data URL as a browser would show it, then read the code off the picture.
    html = f'<img src="{entry["qr_code"]}" style="width: 60mm">'
    document = pdfium.PdfDocument(HTML(string=html).write_pdf())
    [barcode] = zxingcpp.read_barcodes(document[0].render(scale=3).to_pil())

    assert barcode.text == entry["scan_url"]


def test_an_unknown_exhibition_has_no_kiosk_nor_feed(client, g20):
    assert client.get("/en/exhibitions/nope/kiosk/").status_code == 404
    assert client.get("/en/exhibitions/nope/kiosk.json").status_code == 404


def test_the_photo_the_feed_names_is_served(client, g20):
    entry = client.get("/en/exhibitions/g20/kiosk.json").json()["items"][0]

    response = client.get(entry["photo"]["url"])

    assert response.status_code == 200
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.format == "JPEG"
