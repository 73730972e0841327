"""Signing in with an email address, lockout after repeated failures, signing out, and
resetting or changing a password."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests import factories

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
PASSWORD = factories.DEMO_PASSWORD
NEW_PASSWORD = "kettle-harbour-violet-93"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra}, follow=True)


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


@pytest.mark.parametrize(
    ("who", "dashboard", "heading"),
    [
        ("student", "portfolios:dashboard-student", "My placements"),
        ("educator", "portfolios:dashboard-educator", "My students"),
        ("supervisor", "portfolios:dashboard-educator", "My students"),
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


def test_five_wrong_passwords_lock_the_account_out(client, cast, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = sign_in(client, cast.student.email, password="not-the-password")
        assert response.status_code == 200
    response = sign_in(client, cast.student.email, password="not-the-password")
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "accounts/locked_out.html" in [t.name for t in response.templates]


def test_a_locked_out_account_is_refused_even_with_the_right_password(client, cast):
    for _ in range(5):
        sign_in(client, cast.student.email, password="not-the-password")
    response = sign_in(client, cast.student.email)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert signed_in_as(client) is None


def test_changing_the_case_of_the_email_does_not_reset_the_failure_count(client, cast):
    for _ in range(4):
        sign_in(client, cast.student.email, password="not-the-password")
    response = sign_in(client, cast.student.email.upper(), password="not-the-password")
    assert response.status_code == 429
    sign_in(client, cast.student.email.title())
    assert signed_in_as(client) is None


def test_the_locked_out_page_offers_a_password_reset(client, cast):
    for _ in range(5):
        response = sign_in(client, cast.student.email, password="not-the-password")
    assert reverse("accounts:password-reset") in response.content.decode()


def test_a_lockout_holds_one_account_not_everyone_at_that_address(client, cast):
    for _ in range(5):
        sign_in(client, cast.student.email, password="not-the-password")
    response = sign_in(client, cast.tutor.email)
    assert response.redirect_chain[-1][0] == reverse("portfolios:dashboard-cohort")
    assert signed_in_as(client) == str(cast.tutor.pk)


def test_four_failures_then_the_right_password_signs_in_and_starts_afresh(client, cast):
    for _ in range(4):
        sign_in(client, cast.student.email, password="not-the-password")
    assert sign_in(client, cast.student.email).status_code == 200
    assert signed_in_as(client) == str(cast.student.pk)
    client.post(LOGOUT)
    # The count was reset by the success, so four more failures do not lock the account.
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


def reset_link(email_message) -> str:
    pattern = r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)"
    match = re.search(pattern, email_message.body)
    assert match, email_message.body
    return match.group(1)


def test_a_password_reset_sends_an_email_with_a_link(client, cast, mailoutbox):
    response = client.post(reverse("accounts:password-reset"), {"email": cast.student.email})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password-reset-done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [cast.student.email]
    assert "Practice Portfolio" in message.body
    assert reset_link(message)


def test_the_reset_link_lets_the_user_choose_a_new_password(client, cast, mailoutbox):
    client.post(reverse("accounts:password-reset"), {"email": cast.student.email})
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


def test_a_reset_link_works_only_once(client, cast, mailoutbox):
    client.post(reverse("accounts:password-reset"), {"email": cast.student.email})
    link = reset_link(mailoutbox[0])
    response = client.get(link, follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    response = client.get(link, follow=True)
    assert "This link has expired" in response.content.decode()


def test_a_tampered_reset_link_is_refused(client, cast, mailoutbox):
    client.post(reverse("accounts:password-reset"), {"email": cast.student.email})
    link = reset_link(mailoutbox[0])
    response = client.get(link[:-3] + "xx/")
    assert "This link has expired" in response.content.decode()


def test_a_weak_new_password_is_explained(client, cast, mailoutbox):
    client.post(reverse("accounts:password-reset"), {"email": cast.student.email})
    response = client.get(reset_link(mailoutbox[0]), follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"}
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    cast.student.refresh_from_db()
    assert cast.student.check_password(PASSWORD)


def test_the_reset_page_does_not_say_whether_an_address_has_an_account(client, cast, mailoutbox):
    known = client.post(reverse("accounts:password-reset"), {"email": cast.student.email})
    unknown = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
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
