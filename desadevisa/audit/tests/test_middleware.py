import pytest
from django.test import RequestFactory

from desadevisa.audit.middleware import (
    AuditContextMiddleware,
    current_client_address,
    request_client_address,
)


def address_seen_by_the_view(**request_meta):
    seen = []

    def view(request):
        seen.append(current_client_address())

    AuditContextMiddleware(view)(RequestFactory().get("/", **request_meta))
    return seen[0]


def test_the_middleware_binds_the_client_address_for_the_request_only():
    assert address_seen_by_the_view(REMOTE_ADDR="203.0.113.7") == "203.0.113.7"
    assert current_client_address() is None


def test_the_client_address_is_unbound_even_when_the_view_fails():
    def view(request):
        raise RuntimeError("The view failed.")

    with pytest.raises(RuntimeError, match=r"^The view failed\.$"):
        AuditContextMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7"))

    assert current_client_address() is None


def test_x_forwarded_for_is_ignored_without_trusted_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")

    assert request_client_address(request) == "10.0.0.2"


@pytest.mark.parametrize(("trusted", "address"), [(1, "203.0.113.7"), (2, "198.51.100.9")])
def test_x_forwarded_for_gives_the_address_seen_by_the_outermost_trusted_proxy(
    settings, trusted, address
):
    settings.AUDIT_TRUSTED_PROXY_COUNT = trusted
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.9, 203.0.113.7"
    )

    assert request_client_address(request) == address


def test_x_forwarded_for_shorter_than_the_proxy_chain_falls_back_to_remote_addr(settings):
    settings.AUDIT_TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66")

    assert request_client_address(request) == "10.0.0.2"


def test_an_address_that_is_not_an_ip_address_is_none(settings):
    settings.AUDIT_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="unknown")

    assert request_client_address(request) is None


def test_an_ipv6_address_is_kept_in_its_short_form():
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001")

    assert request_client_address(request) == "2001:db8::1"
