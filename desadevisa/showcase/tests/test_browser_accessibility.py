"""Every type of public page passes the automated accessibility check (axe-core, WCAG 2.0 and
2.1 levels A and AA) with no serious or critical violation, on the demonstration data, in
Indonesian and in English: what a foreign buyer or a delegate reads without signing in."""

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from desadevisa.core.tests.accessibility import assert_no_serious_violations
from desadevisa.nominations.models import Designation, DesignationStatus
from desadevisa.showcase.tests.test_browser_delegate import (
    DJEMBE,
    G20,
    MINGGIRSARI,
    TRANGSAN,
    privacy_notice_publish,
    showcase_demo_load,
    url,
)

pytestmark = pytest.mark.browser

LANGUAGES = ("id", "en")
# A well-formed verification code that no certificate carries.
UNKNOWN_CODE = "ZZZZ2222ZZZZ"


@pytest.fixture
def demo(transactional_db, settings, tmp_path) -> None:
    showcase_demo_load(settings, tmp_path)


@pytest.fixture
def visitor(browser: Browser, live_server, demo) -> Iterator[Callable[[str], Page]]:
    """A page in a browser of its own (no cookies), asking for the given language first."""
    contexts = []

    def open_browser(language: str) -> Page:
        locale = {"id": "id-ID", "en": "en-GB"}[language]
        context = browser.new_context(locale=locale, base_url=live_server.url)
        contexts.append(context)
        return context.new_page()

    yield open_browser
    for context in contexts:
        context.close()


def designated_code() -> str:
    return Designation.objects.filter(status=DesignationStatus.DESIGNATED).first().verification_code


def check(page: Page, path: str, *, status: int = 200) -> None:
    """Open ``path`` (under a language prefix), expect its status and its language, and fail
    on any serious or critical accessibility violation."""
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", path.split("/")[1])
    assert_no_serious_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_with_its_map_passes(visitor, language):
    page = visitor(language)
    check(page, url(language, "showcase:home"))

    # The map is drawn by a script: check it again with its markers and a village's popup open.
    markers = page.locator("#village-map .leaflet-marker-icon")
    expect(markers).to_have_count(2)
    markers.first.click()
    expect(page.locator("#village-map .leaflet-popup")).to_be_visible()
    assert_no_serious_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_village_list_and_a_village_page_pass(visitor, language):
    page = visitor(language)
    check(page, url(language, "showcase:village-list"))
    check(page, url(language, "showcase:village", code=MINGGIRSARI))
    # A designated village: its page also has the designation badge and where it exports to.
    check(page, url(language, "showcase:village", code=TRANGSAN))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_with_a_search_and_a_product_page_pass(visitor, language):
    page = visitor(language)
    check(page, url(language, "showcase:product-list") + "?q=kendang")
    expect(page.locator("main")).to_contain_text("Kendang Djimbe")
    check(page, url(language, "showcase:product-list") + "?q=%22%3Cscript%3E%27+OR+1%3D1")
    check(page, url(language, "showcase:product", slug=DJEMBE))
    check(page, url(language, "showcase:product", slug=DJEMBE) + f"?exhibition={G20}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_exhibition_page_and_its_kiosk_pass(visitor, language):
    page = visitor(language)
    check(page, url(language, "showcase:exhibition", slug=G20))

    # The kiosk's clock is the test's: each item it rotates to, and the items it rebuilds from
    # its feed, are checked without waiting for them in real time.
    page.clock.install()
    check(page, url(language, "showcase:kiosk", slug=G20))
    kiosk = page.locator("#kiosk")
    items = page.locator(".kiosk-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_be_visible()
    page.clock.run_for(int(kiosk.get_attribute("data-rotate-seconds")) * 1000)
    expect(items.nth(1)).to_be_visible()
    assert_no_serious_violations(page)

    items.first.evaluate("item => { item.dataset.fromPage = 'yes'; }")
    page.clock.run_for(int(kiosk.get_attribute("data-refresh-seconds")) * 1000)
    expect(page.locator(".kiosk-item[data-from-page]")).to_have_count(0)
    expect(page.locator(".kiosk-item:visible")).to_have_count(1)
    assert_no_serious_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_inquiry_form_passes_empty_and_with_its_errors_shown(visitor, language, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 1
    page = visitor(language)
    check(page, url(language, "inquiry:create", slug=DJEMBE) + f"?exhibition={G20}")

    # Sent without the browser's own checks, the form comes back with the server's errors.
    form = page.locator("main form").filter(has=page.locator("[name=email]"))
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("[name=country]").select_option("JP")
    form.locator("[name=email]").fill("not an address")
    form.locator("[name=phone]").fill("123")
    page.wait_for_timeout(1100)  # past INQUIRY_MIN_FILL_SECONDS: every field is checked
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    for name in ("name", "email", "phone", "quantity", "consent"):
        expect(form.locator(f"[name={name}]")).to_have_attribute("aria-invalid", "true")
    assert_no_serious_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_inquiry_sent_page_and_the_privacy_notice_pass(visitor, language):
    page = visitor(language)
    check(page, url(language, "inquiry:sent", slug=DJEMBE))
    check(page, url(language, "inquiry:privacy"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_certificate_verification_page_and_its_404_pass(visitor, language):
    page = visitor(language)
    check(page, url(language, "verify:certificate", code=designated_code()))
    check(page, url(language, "verify:certificate", code=UNKNOWN_CODE), status=404)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_404_page_of_an_unknown_product_passes(visitor, language):
    page = visitor(language)
    check(page, url(language, "showcase:product", slug="no-such-product"), status=404)


def test_the_check_names_each_serious_violation_under_the_sites_own_csp(live_server, page):
    privacy_notice_publish()
    response = page.goto(live_server.url + url("en", "inquiry:privacy"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    broken = '<img id="no-alt" src="/static/core/img/favicon.svg"><a id="no-name" href="/"></a>'
    page.locator("main").evaluate(
        "(main, html) => main.insertAdjacentHTML('beforeend', html)", broken
    )

    with pytest.raises(AssertionError) as failure:
        assert_no_serious_violations(page)

    report = str(failure.value)
    assert "2 serious or critical accessibility violation(s)" in report
    assert "image-alt (critical): Images must have alternative text" in report
    assert "link-name (serious): Links must have discernible text" in report
    assert "#no-alt" in report
    assert "#no-name" in report
    # The page's own policy still holds: axe was not added as an inline script.
    assert page.evaluate("() => document.querySelectorAll('script:not([src])').length") == 0
