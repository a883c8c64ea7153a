"""The public verification page of a certificate: each status, unknown and malformed codes,
typed codes, the language prefix the QR code leaves out, and caching."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.core.editing import record_version
from desadevisa.nominations.designations import designation_decide, designation_status_change
from desadevisa.nominations.models import Designation, DesignationStatus, NominationState
from desadevisa.nominations.tests.factories import (
    DesignationFactory,
    NominationFactory,
    ProgrammeCycleFactory,
)
from desadevisa.regions.tests.factories import VillageFactory

VERIFY = "/en/verify/"
# A reason that names a person: it must never reach the public page.
PERSONAL_REASON = "Pak Basuki melaporkan sengketa keluarga."
UNKNOWN_CODE = "ABCD2345EFGH"


@pytest.fixture
def english_client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


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


def page(client, code: str, prefix: str = VERIFY):
    return client.get(f"{prefix}{code}/")


def set_status(designation, status, actor):
    return designation_status_change(
        designation=designation,
        status=status,
        reason=PERSONAL_REASON,
        seen_version=record_version(designation),
        actor=actor,
    )


# Statuses -----------------------------------------------------------------------------------


def test_a_designated_certificate_is_genuine_and_valid_with_what_it_certifies(client, designation):
    response = page(client, designation.verification_code)

    assert response.status_code == 200
    assert response.context["verdict"] == "designated"
    html = response.content.decode()
    for expected in (
        "Genuine and valid",
        "Minggirsari",
        "Kabupaten Blitar",
        "Jawa Timur",
        "Djembe drum",
        "Kendang Djimbe",
        "Desa Devisa 2022",
        "KEP-042/DD/XI/2022",
        "Nov. 22, 2022",
    ):
        assert expected in html, expected
    assert "Not valid" not in html


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        (
            DesignationStatus.UNDER_REVIEW,
            "but the designation has been under review since {date}: the certificate is not "
            "valid while the review lasts.",
        ),
        (
            DesignationStatus.LAPSED,
            "but the designation lapsed on {date}: the certificate is no longer valid.",
        ),
        (
            DesignationStatus.REVOKED,
            "but the designation was revoked on {date}: the certificate is not valid.",
        ),
    ],
)
def test_a_certificate_that_is_no_longer_valid_says_so_with_the_date_and_no_reason(
    client, designation, programme_officer, status, sentence
):
    set_status(designation, status, programme_officer)
    today = timezone.localdate()

    response = page(client, designation.verification_code)

    assert response.status_code == 200
    assert response.context["verdict"] == status
    html = response.content.decode()
    assert "Not valid" in html
    assert "Genuine and valid" not in html
    with translation.override("en"):
        shown = date_format(today, "DATE_FORMAT")
    assert sentence.format(date=shown) in html
    assert "Basuki" not in html
    assert "KEP-042/DD/XI/2022" in html


def test_the_page_names_no_staff_member(client, designation, programme_officer):
    response = page(client, designation.verification_code)

    assert programme_officer.get_username() not in response.content.decode()


def test_a_candidate_is_not_a_certificate(client, db):
    candidate = DesignationFactory(status=DesignationStatus.CANDIDATE)

    response = page(client, candidate.verification_code)

    assert response.status_code == 404
    assert response.context["verdict"] == "unknown"


# Unknown, malformed and typed codes ---------------------------------------------------------


def test_an_unknown_code_answers_404_with_the_message_and_a_form(client, db):
    response = page(client, UNKNOWN_CODE)

    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate has this code" in html
    assert "No Desa Devisa certificate was issued with this code" in html
    assert 'name="code"' in html
    assert f'value="{UNKNOWN_CODE}"' in html


@pytest.mark.parametrize("code", ["SHORT", "ABCD2345EFG0", "ABCD2345EFGHJK", "<script>", "%00"])
def test_a_malformed_code_answers_the_same_404_page(client, db, code):
    response = page(client, code)

    assert response.status_code == 404
    assert response.context["verdict"] == "unknown"
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("typed", ["{lower}", "{dashed}", "{dashed_lower}"])
def test_a_code_typed_in_lower_case_or_with_dashes_goes_to_its_plain_form(
    client, designation, typed
):
    code = designation.verification_code
    dashed = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    value = typed.format(lower=code.lower(), dashed=dashed, dashed_lower=dashed.lower())

    response = page(client, value)

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}{code}/"


def test_the_form_takes_a_typed_code_with_spaces_to_its_page(client, designation):
    code = designation.verification_code
    typed = f" {code[:4].lower()} {code[4:8]} {code[8:]} "

    response = client.get(VERIFY, {"code": typed})

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}{code}/"


def test_the_form_without_a_code_asks_for_one(client, db):
    response = client.get(VERIFY)

    assert response.status_code == 200
    assert response.context["verdict"] is None
    assert 'name="code"' in response.content.decode()


def test_the_form_answers_a_code_that_cannot_exist_with_the_404_page(client, db):
    response = client.get(VERIFY, {"code": "not a code"})

    assert response.status_code == 404
    assert "No certificate has this code" in response.content.decode()


@pytest.mark.parametrize("path", [VERIFY, f"{VERIFY}{UNKNOWN_CODE}/"])
def test_the_pages_take_no_post(client, db, path):
    response = client.post(path, {"code": UNKNOWN_CODE})

    assert response.status_code == 405


# The address in the QR code -----------------------------------------------------------------


def test_the_address_without_a_language_goes_to_the_indonesian_page_by_default(client, designation):
    code = designation.verification_code

    response = client.get(f"/verify/{code}/", follow=True)

    assert response.redirect_chain == [(f"/id/verify/{code}/", 302)]
    assert response.status_code == 200
    assert response.context["verdict"] == "designated"
    assert response.context["LANGUAGE_CODE"] == "id"


def test_the_address_without_a_language_follows_the_browsers_language(english_client, designation):
    code = designation.verification_code

    response = english_client.get(f"/verify/{code}/", follow=True)

    assert response.redirect_chain == [(f"/en/verify/{code}/", 302)]
    assert "Genuine and valid" in response.content.decode()


def test_an_unknown_code_without_a_language_reaches_the_404_page(english_client, db):
    response = english_client.get(f"/verify/{UNKNOWN_CODE}/", follow=True)

    assert response.status_code == 404
    assert "No certificate has this code" in response.content.decode()


# Caching ------------------------------------------------------------------------------------


def test_the_page_may_be_cached_briefly_by_anyone(client, designation):
    response = page(client, designation.verification_code)

    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}


def test_a_signed_in_persons_page_stays_out_of_shared_caches(
    client, designation, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    response = page(client, designation.verification_code)

    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_page_takes_the_same_queries_whatever_the_status(
    client, designation, programme_officer, django_assert_num_queries
):
    page(client, designation.verification_code)
    with django_assert_num_queries(1):
        page(client, designation.verification_code)
    set_status(designation, DesignationStatus.REVOKED, programme_officer)

    with django_assert_num_queries(1):
        page(client, designation.verification_code)


# The demo -----------------------------------------------------------------------------------


def test_the_demos_trangsan_certificate_is_genuine_and_valid(
    english_client, db, settings, tmp_path
):
    from desadevisa.operations.demo import demo_load
    from desadevisa.operations.tests.reference import demo_reference

    settings.MEDIA_ROOT = tmp_path
    demo_reference()
    demo_load()
    trangsan = Designation.objects.get(decree_number="KEP-017/DD/XI/2021")

    response = english_client.get(f"/verify/{trangsan.verification_code}/", follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Genuine and valid" in html
    assert "Trangsan" in html
    assert "Kabupaten Sukoharjo" in html
    assert "Demonstration data" in html
