"""Refused requests answer a page of the site, in the language of the address, that says what
went wrong and how to go back; refusals are logged on one line."""

from __future__ import annotations

import io
import logging

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.catalog.models import Product
from desadevisa.catalog.tests.test_product_pages import product_data
from desadevisa.core.logging import ClientErrorFilter, RequestIdFilter, UTCFormatter

CREATE = "/{language}/catalog/products/new/"
FORM = "/id/catalog/products/new/"


@pytest.fixture
def manager(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.manager)
    return client


def test_a_form_larger_than_the_limit_answers_413_saying_so_in_indonesian(manager, two_provinces):
    data = product_data(
        [two_provinces.jawa_timur.member_unit],
        description_id="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    )
    before = Product.objects.count()

    response = manager.post(FORM, data, headers={"referer": f"http://testserver{FORM}"})

    assert response.status_code == 413
    assert '<html lang="id"' in response.text
    assert "<h1>Kiriman terlalu besar</h1>" in response.text
    assert (
        "Kiriman Anda terlalu besar: teks sebuah formulir paling besar 2,5 MB, di luar berkas."
        in response.text
    )
    assert "Kembali dengan tombol Kembali pada peramban Anda" in response.text
    assert f'<a href="http://testserver{FORM}">Kembali ke halaman sebelumnya</a>' in response.text
    assert Product.objects.count() == before


def test_a_form_with_more_fields_than_the_limit_answers_400_saying_so_in_english(
    manager, two_provinces
):
    data = product_data([two_provinces.jawa_timur.member_unit])
    data.update({f"extra{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)})

    response = manager.post(CREATE.format(language="en"), data)

    assert response.status_code == 400
    assert '<html lang="en"' in response.text
    assert "The form you sent has too many fields: at most 1,000 are accepted." in response.text


def test_more_files_than_the_limit_answer_400_saying_so(manager, two_provinces):
    files = [
        SimpleUploadedFile(f"photo{n}.jpg", b"not a photo", content_type="image/jpeg")
        for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    product = two_provinces.jawa_timur.product

    response = manager.post(f"/en/catalog/products/{product.pk}/photos/", {"photos": files})

    assert response.status_code == 400
    assert "You sent too many files at once: at most 20 are accepted." in response.text


def test_a_refusal_answers_403_with_the_layout_in_the_addresss_language(client, db, settings):
    settings.ROOT_URLCONF = "desadevisa.core.tests.urls"

    indonesian = client.get("/id/forbidden/")
    english = client.get("/en/forbidden/")

    assert (indonesian.status_code, english.status_code) == (403, 403)
    assert "<h1>Tidak diizinkan</h1>" in indonesian.text
    assert "<h1>Not allowed</h1>" in english.text
    assert "You may see this page, but you may not do this here." in english.text
    assert '<a href="/en/">Go to the home page</a>' in english.text


def test_a_form_without_its_security_token_answers_403_in_the_addresss_language(
    two_provinces,
):
    checked = Client(enforce_csrf_checks=True)
    sign_in_verified(checked, two_provinces.jawa_timur.manager)

    response = checked.post(FORM, {"name_id": "Kendang"})

    assert response.status_code == 403
    assert "<h1>Formulir sudah kedaluwarsa</h1>" in response.text
    assert "Salin dulu isian Anda: memuat ulang dapat mengosongkan formulir." in response.text


def test_an_unknown_page_answers_404_with_the_layout(client, db):
    response = client.get("/en/catalog/products/999999/")

    assert response.status_code in (302, 404)
    assert client.get("/en/no-such-page/").status_code == 404


def test_the_server_error_page_is_in_the_addresss_language(client, db, settings):
    settings.ROOT_URLCONF = "desadevisa.core.tests.urls"
    client.raise_request_exception = False

    response = client.get("/en/broken/", headers={"accept-language": "id"})

    assert response.status_code == 500
    assert '<html lang="en">' in response.text
    assert "<h1>Server error</h1>" in response.text


def test_a_refusal_is_logged_on_one_line_with_the_request_id(client, db, settings):
    settings.ROOT_URLCONF = "desadevisa.core.tests.urls"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(ClientErrorFilter())
    handler.setFormatter(UTCFormatter(settings.LOGGING["formatters"]["plain"]["format"]))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/en/forbidden/", headers={"x-request-id": "0123456789abcdef"})
    finally:
        logger.removeHandler(handler)

    lines = stream.getvalue().splitlines()
    assert response.status_code == 403
    assert len(lines) == 1
    assert lines[0].endswith(
        "WARNING [0123456789abcdef] django.request Forbidden (Permission denied): "
        "/en/forbidden/ (PermissionDenied: Only the organisation's manager may change the "
        "product.)"
    )


def test_the_console_log_keeps_refusals_to_one_line():
    console = settings.LOGGING["handlers"]["console"]

    assert [settings.LOGGING["filters"][name]["()"] for name in console["filters"]] == [
        "desadevisa.core.logging.RequestIdFilter",
        "desadevisa.core.logging.ClientErrorFilter",
    ]


def test_a_server_error_keeps_its_traceback():
    try:
        raise ValueError("broken")
    except ValueError as error:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), None
        )
        record.exc_info = (type(error), error, error.__traceback__)
    record.status_code = 500

    ClientErrorFilter().filter(record)

    assert record.exc_info is not None
