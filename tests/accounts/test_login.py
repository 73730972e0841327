"""Signing in with an email address, limits on repeated failures, signing out, and
resetting or changing a password."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db.models import F, Sum
from django.test import Client
from django.urls import reverse

from tests import factories

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
PASSWORD = factories.DEMO_PASSWORD
NEW_PASSWORD = "kettle-harbour-violet-93"


def sign_in(client, email, password=PASSWORD, next=None, **meta):
    """Posts the sign-in form; `meta` sets request headers, such as the client's address."""
    data = {"username": email, "password": password}
    if next is not None:
        data["next"] = next
    return client.post(LOGIN, data, follow=True, **meta)


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


@pytest.mark.parametrize(
    ("who", "dashboard", "heading"),
    [
        ("student", "portfolios:dashboard-student", "My placements"),
        ("educator", "portfolios:dashboard-educator", "My students"),
        ("supervisor", "portfolios:dashboard-educator", "Your students on placement"),
        ("tutor", "portfolios:dashboard-cohort", "Cohort"),
        ("coordinator", "portfolios:dashboard-cohort", "Cohort"),
        ("panel", "portfolios:dashboard-cohort", "Cohort"),
    ],
)
def test_signing_in_lands_on_the_roles_dashboard(client, cast, who, dashboard, heading):
    person = getattr(cast, who)
    response = sign_in(client, person.email)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(dashboard)
    assert f">{heading}</h1>" in response.content.decode()
    assert signed_in_as(client) == str(person.pk)


def test_the_email_address_is_not_case_sensitive(client, cast):
    response = sign_in(client, cast.student.email.upper())
    assert response.redirect_chain[-1][0] == reverse("portfolios:dashboard-student")
    assert signed_in_as(client) == str(cast.student.pk)


def test_signing_in_returns_to_the_page_asked_for(client, cast):
    wanted = cast.placement.get_absolute_url()
    response = sign_in(client, cast.student.email, next=wanted)
    assert response.redirect_chain[-1][0] == wanted
    assert response.status_code == 200


def test_signing_in_will_not_send_the_user_to_another_site(client, cast):
    response = sign_in(client, cast.student.email, next="https://evil.example.com/")
    assert response.redirect_chain[-1][0] == reverse("portfolios:dashboard-student")


def test_the_sign_in_page_asks_for_an_email_address(client, db):
    html = client.get(LOGIN).content.decode()
    assert "Email address" in html
    assert 'type="email"' in html


def test_a_signed_in_user_visiting_the_sign_in_page_goes_to_their_dashboard(client, cast):
    client.force_login(cast.tutor)
    response = client.get(LOGIN, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portfolios:dashboard-cohort")


def test_a_wrong_password_is_explained_and_the_email_kept(client, cast):
    response = sign_in(client, cast.student.email, password="not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "That email address and password do not match an account." in html
    assert f'value="{cast.student.email}"' in html
    assert signed_in_as(client) is None


def test_an_unknown_email_gets_the_same_message_as_a_wrong_password(client, db):
    response = sign_in(client, "nobody@example.org", password="whatever-it-is")
    html = response.content.decode()
    assert "That email address and password do not match an account." in html


def pause_reached(client, settings, address="203.0.113.7"):
    """Wrong passwords from one address, each for a different account, until it is paused."""
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, f"person{n}@example.org", "Spring2026!", REMOTE_ADDR=address)
        assert response.status_code == 200
    return sign_in(client, "last@example.org", "Spring2026!", REMOTE_ADDR=address)


def age_failures(seconds):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


def test_one_password_sprayed_across_many_accounts_pauses_that_address(client, cast, settings):
    response = pause_reached(client, settings)
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "signing in from it is paused for 10 minutes" in html
    assert "No account has been locked." in html
    # Even the right password for a real account waits until the pause ends.
    response = sign_in(client, cast.student.email, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_the_paused_page_offers_a_password_reset(client, cast, settings):
    response = pause_reached(client, settings)
    assert reverse("accounts:password-reset") in response.content.decode()


def test_a_pause_ends_after_the_configured_minutes(client, cast, settings):
    pause_reached(client, settings)
    age_failures(settings.AXES_COOLOFF_TIME.total_seconds() + 1)
    sign_in(client, cast.student.email, REMOTE_ADDR="203.0.113.7")
    assert signed_in_as(client) == str(cast.student.pk)


def test_an_attackers_five_wrong_passwords_do_not_lock_the_victim_out_from_another_address(
    client, cast, settings
):
    # Behind one proxy everyone connects from the proxy's address; X-Forwarded-For tells
    # them apart.
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(4):
        sign_in(client, cast.student.email, "guess", HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy)
    response = sign_in(
        client, cast.student.email, "guess", HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy
    )
    assert response.status_code == 429
    response = sign_in(client, cast.student.email, HTTP_X_FORWARDED_FOR="192.0.2.10", **proxy)
    assert response.redirect_chain[-1][0] == reverse("portfolios:dashboard-student")
    assert signed_in_as(client) == str(cast.student.pk)


def test_failures_from_many_addresses_slow_the_account_without_locking_it(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for n in range(3):
        # Whatever the case of the email, the failures are the same account's.
        email = cast.student.email.upper() if n % 2 else cast.student.email
        sign_in(client, email, "guess", REMOTE_ADDR=f"198.51.100.{n + 1}")
    response = sign_in(client, cast.student.email, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 200
    html = response.content.decode()
    assert "it can be tried only once every 30 seconds. Please wait 30 seconds" in html
    assert signed_in_as(client) is None
    age_failures(settings.LOGIN_ACCOUNT_DELAY_SECONDS)
    sign_in(client, cast.student.email, REMOTE_ADDR="192.0.2.10")
    assert signed_in_as(client) == str(cast.student.pk)


def test_a_slowed_attempt_is_refused_before_the_password_is_checked(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for n in range(3):
        sign_in(client, cast.student.email, "guess", REMOTE_ADDR=f"198.51.100.{n + 1}")
    before = AccessAttempt.objects.aggregate(total=Sum("failures_since_start"))["total"]
    response = sign_in(client, cast.student.email, "guess", REMOTE_ADDR="198.51.100.9")
    assert "Please wait" in response.content.decode()
    # Not counted, so an attacker who keeps trying cannot keep the account waiting longer.
    assert AccessAttempt.objects.aggregate(total=Sum("failures_since_start"))["total"] == before


def test_a_browser_that_signed_in_before_is_not_slowed(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    sign_in(client, cast.student.email, REMOTE_ADDR="192.0.2.10")
    client.post(LOGOUT)
    attacker = Client()
    for n in range(3):
        sign_in(attacker, cast.student.email, "guess", REMOTE_ADDR=f"198.51.100.{n + 1}")
    assert "Please wait" in sign_in(attacker, cast.student.email).content.decode()
    sign_in(client, cast.student.email, REMOTE_ADDR="192.0.2.99")
    assert signed_in_as(client) == str(cast.student.pk)


def test_signing_in_to_ones_own_account_does_not_clear_an_addresss_failures(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for n in range(4):
        sign_in(client, f"person{n}@example.org", "Spring2026!")
    sign_in(client, cast.tutor.email)
    assert signed_in_as(client) == str(cast.tutor.pk)
    client.post(LOGOUT)
    assert sign_in(client, "one-more@example.org", "Spring2026!").status_code == 429


def test_four_failures_then_the_right_password_signs_in_and_starts_afresh(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        sign_in(client, cast.student.email, password="not-the-password")
    assert sign_in(client, cast.student.email).status_code == 200
    assert signed_in_as(client) == str(cast.student.pk)
    client.post(LOGOUT)
    # The success cleared the account's own failures, so four more do not pause the address.
    for _ in range(4):
        assert sign_in(client, cast.student.email, password="wrong").status_code == 200
    assert signed_in_as(client) is None


def test_a_switched_off_account_cannot_sign_in(client, cast):
    cast.student.is_active = False
    cast.student.save()
    response = sign_in(client, cast.student.email)
    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert "do not match an account" in response.content.decode()


def test_signing_out_takes_a_post_and_ends_the_session(client, cast):
    client.force_login(cast.student)
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response.url == LOGIN
    assert signed_in_as(client) is None
    response = client.get(reverse("portfolios:dashboard-student"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_signing_out_by_following_a_link_is_refused(client, cast):
    client.force_login(cast.student)
    assert client.get(LOGOUT).status_code == 405
    assert signed_in_as(client) == str(cast.student.pk)


def test_every_page_offers_a_sign_out_button(client, cast):
    client.force_login(cast.student)
    html = client.get(reverse("portfolios:dashboard-student")).content.decode()
    assert f'<form method="post" action="{LOGOUT}">' in html


# --- Password reset -----------------------------------------------------------------------


@pytest.fixture
def ask_reset(client, django_capture_on_commit_callbacks):
    """Posts the reset form and runs what its transaction queued: the email task."""

    def ask(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:password-reset"), {"email": email})

    return ask


def reset_link(email_message) -> str:
    pattern = rf"{re.escape(settings.SITE_URL)}(/accounts/password/reset/[^/\s]+/[^/\s]+/)"
    match = re.search(pattern, email_message.body)
    assert match, email_message.body
    return match.group(1)


def test_a_password_reset_sends_an_email_with_a_link(client, cast, mailoutbox, ask_reset):
    response = ask_reset(cast.student.email)
    assert response.status_code == 302
    assert response.url == reverse("accounts:password-reset-done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [cast.student.email]
    assert "Practice Portfolio" in message.body
    assert reset_link(message)


def test_the_reset_link_lets_the_user_choose_a_new_password(client, cast, mailoutbox, ask_reset):
    ask_reset(cast.student.email)
    response = client.get(reset_link(mailoutbox[0]), follow=True)
    assert response.status_code == 200
    assert "Choose a new password" in response.content.decode()
    set_password_url = response.redirect_chain[-1][0]

    response = client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password-reset-complete")
    cast.student.refresh_from_db()
    assert cast.student.check_password(NEW_PASSWORD)

    sign_in(client, cast.student.email, password=NEW_PASSWORD)
    assert signed_in_as(client) == str(cast.student.pk)


def test_a_reset_link_works_only_once(client, cast, mailoutbox, ask_reset):
    ask_reset(cast.student.email)
    link = reset_link(mailoutbox[0])
    response = client.get(link, follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    response = client.get(link, follow=True)
    assert "This link has expired" in response.content.decode()


def test_a_tampered_reset_link_is_refused(client, cast, mailoutbox, ask_reset):
    ask_reset(cast.student.email)
    link = reset_link(mailoutbox[0])
    response = client.get(link[:-3] + "xx/")
    assert "This link has expired" in response.content.decode()


def test_a_weak_new_password_is_explained(client, cast, mailoutbox, ask_reset):
    ask_reset(cast.student.email)
    response = client.get(reset_link(mailoutbox[0]), follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"}
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    cast.student.refresh_from_db()
    assert cast.student.check_password(PASSWORD)


def test_the_reset_page_does_not_say_whether_an_address_has_an_account(
    client, cast, mailoutbox, ask_reset
):
    known = ask_reset(cast.student.email)
    unknown = ask_reset("nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mailoutbox) == 1


# --- Password change ----------------------------------------------------------------------


def test_a_signed_in_user_changes_their_password_and_stays_signed_in(client, cast):
    client.force_login(cast.educator)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:password-change-done")
    assert "Password changed" in response.content.decode()
    cast.educator.refresh_from_db()
    assert cast.educator.check_password(NEW_PASSWORD)
    assert client.get(reverse("portfolios:dashboard-educator")).status_code == 200


def test_changing_the_password_needs_the_old_one(client, cast):
    client.force_login(cast.educator)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "not-the-old-one",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    cast.educator.refresh_from_db()
    assert cast.educator.check_password(PASSWORD)


def test_changing_the_password_needs_signing_in(client, db):
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
