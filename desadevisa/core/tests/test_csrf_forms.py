"""Every form that posts carries its CSRF token, including the forms drawn by components
included with ``only`` (which drops the token from their context unless it is passed)."""

import re

import pytest
from django.test import Client

from desadevisa.accounts.tests.helpers import sign_in_verified

POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", re.S | re.I)


def post_forms(html: str) -> list[str]:
    return POST_FORM.findall(html)


@pytest.mark.parametrize(
    "path", ["/en/accounts/profile/", "/en/programme/nominations/", "/en/registry/villages/"]
)
def test_every_post_form_of_a_staff_page_carries_the_csrf_token(client, programme_officer, path):
    sign_in_verified(client, programme_officer)

    forms = post_forms(client.get(path).content.decode())

    assert forms
    assert [form for form in forms if "csrfmiddlewaretoken" not in form] == []


def test_signing_out_from_the_header_passes_the_csrf_check(programme_officer):
    browser = Client(enforce_csrf_checks=True)
    sign_in_verified(browser, programme_officer)
    page = browser.get("/en/accounts/profile/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', post_forms(page)[0])

    response = browser.post("/en/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)})

    assert response.status_code == 302
    assert "_auth_user_id" not in browser.session
