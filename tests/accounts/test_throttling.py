"""Which address a request comes from, given how many proxies stand in front of the app."""

import pytest
from django.test import RequestFactory

from accounts.throttling import client_ip


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_with_no_proxy_the_connecting_address_is_used_and_x_forwarded_for_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("192.0.2.10", "198.51.100.66")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        # The proxy appends the address it received the request from.
        (1, "192.0.2.10", "192.0.2.10"),
        # A client's forged entry sits to the left of what the proxy appended.
        (1, "198.51.100.66, 192.0.2.10", "192.0.2.10"),
        # Two proxies: the outer one appended the client, the inner one the outer proxy.
        (2, "198.51.100.66, 192.0.2.10, 10.0.0.3", "192.0.2.10"),
        (2, "192.0.2.10,10.0.0.3", "192.0.2.10"),
    ],
)
def test_the_proxy_count_picks_the_clients_address_from_x_forwarded_for(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_from("10.0.0.2", forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "192.0.2.10, <script>"])
def test_a_missing_short_or_malformed_x_forwarded_for_falls_back_to_the_connecting_address(
    settings, forwarded
):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("10.0.0.2", forwarded)) == "10.0.0.2"


def test_too_few_entries_for_the_proxy_count_fall_back_to_the_connecting_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.2", "192.0.2.10")) == "10.0.0.2"
