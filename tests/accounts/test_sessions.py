"""A session ends when the browser closes and after an hour without a request."""

from datetime import timedelta
from unittest import mock

from django.conf import settings as project_settings
from django.urls import reverse
from django.utils import timezone

from tests import factories

LOGIN = reverse("accounts:login")
DASHBOARD = reverse("portfolios:dashboard-student")


def sign_in(client, user):
    response = client.post(LOGIN, {"username": user.email, "password": factories.DEMO_PASSWORD})
    assert response.status_code == 302
    return response


def at(minutes_from_now):
    return mock.patch(
        "django.utils.timezone.now",
        return_value=timezone.now() + timedelta(minutes=minutes_from_now),
    )


def test_the_defaults_end_a_session_at_browser_close_and_after_an_idle_hour():
    assert project_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert project_settings.SESSION_COOKIE_AGE == 60 * 60
    assert "accounts.middleware.SessionKeepAliveMiddleware" in project_settings.MIDDLEWARE


def test_the_session_cookie_lasts_only_until_the_browser_closes(client, db):
    response = sign_in(client, factories.StudentFactory())
    cookie = response.cookies[project_settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


def test_a_session_idle_for_longer_than_configured_ends(client, db):
    sign_in(client, factories.StudentFactory())
    with at(59):
        assert client.get(DASHBOARD).status_code == 200
    with at(59 + 61):
        response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_each_request_keeps_the_session_alive_for_another_idle_period(client, db):
    sign_in(client, factories.StudentFactory())
    for minutes in (50, 100, 150):
        with at(minutes):
            assert client.get(DASHBOARD).status_code == 200


def test_the_idle_period_is_a_setting(client, db, settings):
    settings.SESSION_COOKIE_AGE = 10 * 60
    sign_in(client, factories.StudentFactory())
    with at(11):
        assert client.get(DASHBOARD).status_code == 302


def test_a_page_view_within_a_minute_of_the_last_costs_no_session_write(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, factories.StudentFactory())
    with at(2):
        client.get(DASHBOARD)
    with at(2.5), CaptureQueriesContext(connection) as captured:
        client.get(DASHBOARD)
    assert not [q for q in captured if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
