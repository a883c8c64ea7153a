"""The demo's Minggirsari nomination taken through the whole programme by the demo accounts,
each signing in with their password and one-time code in a browser of their own:

Disperindag Jawa Timur has submitted it, LPEI confirms its uniqueness, screens it and schedules
the visit, the verifier fills
the visit form on the spot (with a geotagged photo) and submits it, LPEI designates the village
by decree, the certificate's QR code opens the public page that confirms it is genuine, and
LPEI plans the village's first support.
"""

import datetime
import io
import re
from collections.abc import Iterator
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from desadevisa.nominations.models import Designation, Nomination, NominationState
from desadevisa.operations.demo import DEMO_PASSWORD, demo_load
from desadevisa.operations.tests.reference import demo_reference
from desadevisa.regions.models import Village
from desadevisa.verification.models import Aspect
from desadevisa.verification.tests.factories import geotagged_jpeg

pytestmark = pytest.mark.browser

MINGGIRSARI = "35.05.10.2001"
BANYUMULEK = "52.01.02.2006"
# Minggirsari's recorded centre, and where the verifier's phone took the workshop's photo.
VILLAGE_AT = (Decimal("-8.1170"), Decimal("112.2130"))
PHOTO_AT = (-8.1205, 112.2168)


@pytest.fixture
def demo(transactional_db, settings, tmp_path) -> None:
    """The demo loaded over the few reference rows it stands on."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_reference()
    Village.objects.filter(code=MINGGIRSARI).update(latitude=VILLAGE_AT[0], longitude=VILLAGE_AT[1])
    demo_load()


class Desk:
    """One demo account's browser, signed in through the sign-in and one-time code pages."""

    def __init__(self, browser: Browser, base: str, username: str) -> None:
        self.base = base
        self.context = browser.new_context(locale="en-GB")
        self.page: Page = self.context.new_page()
        self.page.goto(f"{base}/en/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.locator("main form:has(input[name=password]) button[type=submit]").click()
        expect(self.page).to_have_url(re.compile(r"/en/accounts/two-factor/"))
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.page.fill("input[name=code]", f"{totp.token():0{device.digits}d}")
        self.page.locator("main form:has(input[name=code]) button[type=submit]").click()
        expect(self.page).not_to_have_url(re.compile(r"/accounts/(login|two-factor)/"))

    def open(self, path: str) -> Page:
        self.page.goto(f"{self.base}{path}")
        return self.page

    def step(self, nomination: Nomination, name: str) -> None:
        """Take a workflow step with its button on the nomination's page."""
        page = self.open(f"/en/programme/nominations/{nomination.pk}/")
        page.locator(f"form[action$='/step/{name}/'] button[type=submit]").click()
        expect(page.locator("main")).not_to_contain_text("cannot be taken")


@pytest.fixture
def desks(browser: Browser, live_server, demo, settings) -> Iterator:
    # The site's public address is the live server's, so that its QR codes lead there.
    settings.SITE_URL = live_server.url
    opened: list[Desk] = []

    def desk(username: str) -> Desk:
        opened.append(Desk(browser, live_server.url, username))
        return opened[-1]

    yield desk
    for each in opened:
        each.context.close()


def state_of(nomination: Nomination) -> str:
    nomination.refresh_from_db()
    return nomination.state


def test_the_demo_accounts_take_minggirsari_from_submission_to_a_verified_certificate(
    browser, desks, tmp_path
):
    # Disperindag Jawa Timur submitted it within the province's quota.
    nomination = Nomination.objects.get(village_id=MINGGIRSARI)
    assert nomination.state == NominationState.SUBMITTED

    # LPEI reads the screening, confirms the product's uniqueness, marks it screened and
    # schedules the visit.
    programme = desks("demo-programme")
    page = programme.open(f"/en/programme/nominations/{nomination.pk}/")
    expect(page.locator("main")).to_contain_text("Several craft units")
    review = page.locator("form[action$='/uniqueness/']")
    review.locator("textarea[name=comment]").fill("Tidak ada desa devisa lain dengan djimbe.")
    review.locator("button[value=confirm]").click()
    expect(page.locator("main")).to_contain_text("Confirmed as unique")
    programme.step(nomination, "screen")
    page = programme.open(f"/en/verification/nominations/{nomination.pk}/schedule/")
    page.fill("input[name=planned_on]", "2022-08-16")
    page.locator("label:has-text('demo-verifier') input, input[name=verifiers]").first.check()
    page.locator("main form button[type=submit]").click()
    assert state_of(nomination) == NominationState.VISIT_SCHEDULED
    visit = nomination.visits.get()

    # The verifier fills the visit form, adds a geotagged photo and submits the visit.
    verifier = desks("demo-verifier")
    page = verifier.open(f"/en/verification/visits/{visit.pk}/edit/")
    form = page.locator(f"form[action$='/visits/{visit.pk}/edit/']")
    for code in (1, 2, 3, 4):
        form.locator(f"input[name=finding_{code}][value=confirmed]").check()
    form.locator("input[name='reviews-0-sample_name']").fill("Kendang djimbe 40 cm, ukir")
    form.locator("select[name='reviews-0-quality_rating']").select_option("4")
    for aspect in Aspect:
        form.locator(f"select[name=score_{aspect.value}]").select_option("4")
    expect(form.locator("output[data-score-total]")).to_have_text("24")
    form.locator("textarea[name=overall_findings]").fill(
        "Six workshops visited; all in the village."
    )
    form.locator("input[name=recommendation][value=designate]").check()
    form.locator("button[name=save]").click()
    expect(page.locator("main")).not_to_contain_text("error")

    photo = tmp_path / "bengkel-basuki.jpg"
    photo.write_bytes(geotagged_jpeg(latitude=PHOTO_AT[0], longitude=PHOTO_AT[1]))
    page = verifier.open(f"/en/verification/visits/{visit.pk}/edit/")
    upload = page.locator(f"form[action$='/visits/{visit.pk}/photos/add/']")
    upload.locator("input[type=file]").set_input_files(str(photo))
    upload.locator("button[type=submit]").click()
    expect(page.locator("#photos, main").first).to_contain_text("km")

    page = verifier.open(f"/en/verification/visits/{visit.pk}/submit/")
    page.locator("main form button[type=submit]").click()
    assert state_of(nomination) == NominationState.VISITED

    # LPEI designates the village by decree.
    page = programme.open(f"/en/programme/nominations/{nomination.pk}/decide/")
    designate = page.locator("form:has(input[name=decision][value=designate])")
    designate.locator("input[name=decree_number]").fill("KEP-031/DD/IX/2022")
    designate.locator("input[name=designated_on]").fill("2022-09-20")
    designate.locator("button[type=submit]").click()
    assert state_of(nomination) == NominationState.DESIGNATED
    designation = Designation.objects.get(nomination=nomination)
    page = programme.open(f"/en/programme/nominations/{nomination.pk}/")
    expect(page.locator("#screening-heading + p")).to_have_text("Overall: Pass")

    # The certificate's QR code opens the public page confirming it.
    response = programme.context.request.get(
        f"{programme.base}/en/programme/designations/{designation.pk}/certificate.pdf"
    )
    assert response.status == 200
    pdf = pypdfium2.PdfDocument(io.BytesIO(response.body()))
    picture = pdf[0].render(scale=3).to_pil()
    (code,) = zxingcpp.read_barcodes(picture)
    assert code.text == f"{programme.base}/verify/{designation.verification_code}/"

    buyer = browser.new_context(locale="en-GB")
    try:
        page = buyer.new_page()
        page.goto(code.text)
        expect(page).to_have_url(re.compile(rf"/en/verify/{designation.verification_code}/$"))
        main = page.locator("main")
        expect(main).to_contain_text("Genuine and valid")
        expect(main).to_contain_text("Minggirsari")
        expect(main).to_contain_text("KEP-031/DD/IX/2022")
    finally:
        buyer.close()
    assert designation.designated_on == datetime.date(2022, 9, 20)

    # Support is planned for the newly designated village as for any other.
    page = programme.open(f"/en/support/designations/{designation.pk}/plan/")
    plan = page.locator("main form")
    plan.locator("select[name=kind]").select_option("training")
    plan.locator("input[name=title]").fill("Finishing and export packaging")
    plan.locator("input[name=partner]").fill("Dekranasda Kabupaten Blitar")
    plan.locator("input[name=starts_on]").fill("2022-10-03")
    plan.locator("input[name=topic]").fill("Finishing kayu dan pengemasan ekspor")
    plan.locator("input[name=participants_women]").fill("12")
    plan.locator("input[name=participants_men]").fill("9")
    plan.locator("button[type=submit]").click()
    page = programme.open(f"/en/support/villages/{MINGGIRSARI}/")
    expect(page.locator("main")).to_contain_text("Finishing and export packaging")


def test_the_screening_explains_why_banyumulek_falls_short(desks):
    nomination = Nomination.objects.get(village_id=BANYUMULEK)

    page = desks("demo-programme").open(f"/en/programme/nominations/{nomination.pk}/")

    screening = page.locator("main")
    expect(screening).to_contain_text("Banyumulek")
    expect(screening).to_contain_text("Fail")
    expect(screening).to_contain_text("active craft units")
