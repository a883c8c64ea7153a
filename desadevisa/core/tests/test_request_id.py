import logging
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from desadevisa.core.logging import current_request_id
from desadevisa.core.middleware import RequestIdMiddleware
from desadevisa.core.tests.failing_urls import FAILURE_TEXT


def serve(**headers):
    """Serve a request through the middleware; returns the response and what the view saw."""
    seen = {}

    def view(request):
        seen.update(attribute=request.request_id, logs=current_request_id())
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", headers=headers))
    return response, seen


def test_each_request_gets_a_new_sixteen_hex_digit_id():
    first, _ = serve()
    second, _ = serve()

    assert re.fullmatch(r"[0-9a-f]{16}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_view_and_the_logs_see_the_id_the_response_carries():
    response, seen = serve()

    assert seen == {"attribute": response["X-Request-ID"], "logs": response["X-Request-ID"]}


def test_the_logs_have_no_request_id_once_the_request_is_served():
    serve()

    assert current_request_id() == "-"


def test_the_logs_have_no_request_id_even_when_the_view_fails():
    def view(request):
        raise RuntimeError("The view failed.")

    with pytest.raises(RuntimeError, match=r"^The view failed\.$"):
        RequestIdMiddleware(view)(RequestFactory().get("/"))

    assert current_request_id() == "-"


def test_an_incoming_request_id_of_the_accepted_form_is_kept():
    response, seen = serve(x_request_id="edge-7f3a9c2e-41b0")

    assert response["X-Request-ID"] == "edge-7f3a9c2e-41b0"
    assert seen["attribute"] == "edge-7f3a9c2e-41b0"


@pytest.mark.parametrize(
    "incoming",
    ["short", "a" * 65, "abc def 123", "abcdefgh\nFAKE", "abcdefgh\n", "<script>alert(1)</script>"],
)
def test_an_incoming_request_id_of_another_form_is_replaced(incoming):
    response, _ = serve(x_request_id=incoming)

    assert response["X-Request-ID"] != incoming
    assert re.fullmatch(r"[0-9a-f]{16}", response["X-Request-ID"])


def test_the_request_id_is_on_responses_of_the_whole_stack(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert re.fullmatch(r"[0-9a-f]{16}", response["X-Request-ID"])


@pytest.mark.urls("desadevisa.core.tests.failing_urls")
def test_an_unexpected_failure_answers_500_with_the_reference_and_nothing_of_the_failure(
    client, settings
):
    # No database marker: the error page must be shown without one.
    settings.DEBUG = False
    client.raise_request_exception = False

    response = client.get("/failing/", headers={"accept-language": "en"})

    request_id = response["X-Request-ID"]
    assert response.status_code == 500
    assert f"<p>Reference: {request_id}</p>" in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    assert FAILURE_TEXT not in response.text
    assert "desadevisa." not in response.text
    assert ".py" not in response.text


@pytest.mark.urls("desadevisa.core.tests.failing_urls")
def test_the_failure_is_logged_with_the_reference_shown_to_the_visitor(client, caplog):
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/failing/")

    [record] = caplog.records
    assert record.getMessage() == "Internal Server Error: /failing/"
    assert record.request_id == response["X-Request-ID"]


@pytest.mark.urls("desadevisa.core.tests.failing_urls")
def test_a_page_whose_database_is_down_answers_503_with_the_reference_logged_once(client, caplog):
    with caplog.at_level("ERROR"):
        response = client.get("/database-down/", headers={"accept-language": "en"})

    request_id = response["X-Request-ID"]
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "<h1>Temporarily unavailable</h1>" in response.text
    assert f"<p>Reference: {request_id}</p>" in response.text
    assert "10.0.0.5" not in response.text
    assert [record.getMessage() for record in caplog.records] == [
        "Service unavailable: OperationalError"
    ]
