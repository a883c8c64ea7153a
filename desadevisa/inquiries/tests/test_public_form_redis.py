"""The inquiry form's rate limits in the real shared Redis: counted across app servers, and the
form refused (nothing written, nothing sent) while the counts cannot be kept."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail

from desadevisa.inquiries.models import Inquiry
from desadevisa.inquiries.protection import address_rate_limited
from desadevisa.inquiries.tests.conftest import create_url, row_counts, valid_data

pytestmark = pytest.mark.usefixtures("countries")

UNAVAILABLE = (
    "Your inquiry cannot be sent right now. Please try again in a few minutes; what you "
    "wrote is kept below."
)


def post(client, product, notice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(create_url(product), valid_data(notice))


def test_attempts_counted_by_another_server_refuse_the_next_inquiry(
    client, product, notice, settings, redis_cache, django_capture_on_commit_callbacks
):
    settings.INQUIRY_RATE_LIMIT = 2
    with ThreadPoolExecutor(max_workers=1) as other_server:
        for _ in range(2):
            other_server.submit(address_rate_limited, "127.0.0.1").result()

    response = post(client, product, notice, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert Inquiry.objects.count() == 0


def test_the_form_is_refused_with_a_message_while_redis_is_down(
    client, product, notice, redis_cache, django_capture_on_commit_callbacks
):
    before = row_counts()
    redis_cache.stop()

    response = post(client, product, notice, django_capture_on_commit_callbacks)

    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert UNAVAILABLE.replace("'", "&#x27;") in response.text
    assert "Ritme Import B.V." in response.text
    assert row_counts() == before
    assert mail.outbox == []


def test_the_form_is_accepted_again_once_redis_returns(
    client, product, notice, redis_cache, django_capture_on_commit_callbacks
):
    redis_cache.stop()
    post(client, product, notice, django_capture_on_commit_callbacks)
    redis_cache.start()

    response = post(client, product, notice, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert Inquiry.objects.count() == 1
