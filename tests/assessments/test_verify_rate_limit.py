"""The public verification page answers a limited number of checks per client address, then
says in a sentence to come back later (429), so codes cannot be guessed at speed."""

import html

import pytest
from django.urls import reverse

from assessments.report import views as report_views

VERIFY = reverse("verify")


@pytest.fixture(autouse=True)
def _three_an_hour(monkeypatch):
    monkeypatch.setattr(report_views, "VERIFY_RATE", "3/h")


def check(client, address="203.0.113.7", **headers):
    return client.post(VERIFY, {"code": "K7PM-3QXD"}, REMOTE_ADDR=address, **headers)


@pytest.mark.django_db
def test_an_address_that_checks_too_often_is_asked_to_wait_with_a_sentence(client):
    assert [check(client).status_code for _ in range(3)] == [200, 200, 200]
    response = check(client)
    assert response.status_code == 429
    page = html.unescape(response.content.decode())
    assert "Too many checks for now" in page
    assert "Please try again in an hour." in page


@pytest.mark.django_db
def test_another_address_is_not_held_up(client):
    for _ in range(4):
        check(client)
    assert check(client, address="198.51.100.20").status_code == 200


@pytest.mark.django_db
def test_opening_the_page_costs_nothing(client):
    for _ in range(5):
        assert client.get(VERIFY, REMOTE_ADDR="203.0.113.7").status_code == 200
    assert check(client).status_code == 200


@pytest.mark.django_db
def test_behind_the_trusted_proxy_each_client_is_counted_by_its_own_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(4):
        check(client, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert check(client, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert check(client, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 200
