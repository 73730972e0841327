"""Invitations: one link, used once, within 14 days; resend kills the old link, revoke kills
it too; a dead or altered link explains itself and offers to ask for a new one."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import invitations
from accounts.models import Invitation
from accounts.roles import Role
from portfolios.services import placement_update
from tests import factories

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a long walk by the river"
RENEW = reverse("accounts:invitation-renew")
LIST = reverse("portfolios:invitation-list")


@pytest.fixture
def invited(cast):
    """An agency educator on the cast's placement, with no password, invited by email."""
    person = factories.EducatorFactory(email="agency@example.org", first_name="Jo")
    person.set_unusable_password()
    person.save()
    [invitation] = invitations.invitations_send(
        people=[(person, Role.EDUCATOR)], invited_by=cast.coordinator
    )
    return invitation


def token_from(mail) -> str:
    return re.search(r"/accounts/invitation/([\w-]+)/", mail.body).group(1)


def send_and_capture(cast, capture, mailoutbox, **kw) -> tuple[Invitation, str]:
    person = factories.EducatorFactory(**kw)
    person.set_unusable_password()
    person.save()
    with capture(execute=True):
        [invitation] = invitations.invitations_send(
            people=[(person, Role.EDUCATOR)], invited_by=cast.coordinator
        )
    return invitation, token_from(mailoutbox[-1])


@pytest.fixture
def sent(cast, django_capture_on_commit_callbacks, mailoutbox):
    return send_and_capture(
        cast, django_capture_on_commit_callbacks, mailoutbox, email="jo@agency.example.org"
    )


def accept(client, token, password=GOOD_PASSWORD):
    url = reverse("accounts:invitation-accept", kwargs={"token": token})
    return client.post(url, {"new_password1": password, "new_password2": password})


def test_the_email_says_who_invites_to_what_role_the_link_and_its_expiry(sent, mailoutbox):
    invitation, token = sent
    mail = mailoutbox[-1]
    assert mail.to == ["jo@agency.example.org"]
    assert f"{invitation.invited_by.display_name} has invited you" in mail.body
    assert "as a practice educator" in mail.body
    assert invitation.expires_at.astimezone().strftime("%-d %B %Y") in mail.body
    assert mail.alternatives and token in mail.alternatives[0][0]
    # Only a hash is stored: the token itself is nowhere in the database row.
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())


def test_a_valid_link_sets_the_password_signs_in_and_lands_on_the_dashboard(client, sent):
    invitation, token = sent
    response = accept(client, token)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("portfolios:dashboard-educator")
    invitation.user.refresh_from_db()
    assert invitation.user.check_password(GOOD_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_used_link_cannot_be_used_again(client, sent):
    _, token = sent
    accept(client, token)
    client.logout()
    again = accept(client, token, password="another long password here")
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_an_expired_link_says_so_and_sets_nothing(client, sent):
    invitation, token = sent
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = accept(client, token)
    assert response.status_code == 410 and "has expired" in response.content.decode()
    invitation.user.refresh_from_db()
    assert not invitation.user.has_usable_password()


def test_a_revoked_link_says_it_was_withdrawn(client, cast, sent):
    invitation, token = sent
    invitations.invitation_revoke(actor=cast.coordinator, invitation=invitation)
    response = client.get(reverse("accounts:invitation-accept", kwargs={"token": token}))
    assert response.status_code == 410 and "was withdrawn" in response.content.decode()
    assert accept(client, token).status_code == 410


def test_a_link_for_an_account_switched_off_no_longer_works(client, sent):
    invitation, token = sent
    invitation.user.is_active = False
    invitation.user.save()
    assert accept(client, token).status_code == 410
    invitation.user.refresh_from_db()
    assert not invitation.user.has_usable_password()


def test_resending_kills_the_old_link_and_the_new_one_works(
    client, cast, sent, django_capture_on_commit_callbacks, mailoutbox
):
    invitation, old_token = sent
    with django_capture_on_commit_callbacks(execute=True):
        fresh = invitations.invitation_resend(actor=cast.coordinator, invitation=invitation)
    new_token = token_from(mailoutbox[-1])
    assert new_token != old_token
    old = accept(client, old_token)
    assert old.status_code == 410 and "newer invitation" in old.content.decode()
    assert accept(client, new_token).status_code == 302
    fresh.refresh_from_db()
    assert fresh.accepted_at is not None


@pytest.mark.parametrize("change", ["x", "", "tampered", "A" * 200])
def test_a_tampered_link_is_not_valid_and_offers_a_new_one(client, sent, change):
    _, token = sent
    altered = (token[:-1] + ("B" if token[-1] != "B" else "C")) if change == "x" else change
    if not altered:
        altered = "-"
    response = client.get(reverse("accounts:invitation-accept", kwargs={"token": altered}))
    page = response.content.decode()
    assert response.status_code == 410
    assert "not valid" in page and RENEW in page


def test_the_password_must_pass_djangos_validators_and_match(client, sent):
    invitation, token = sent
    weak = accept(client, token, password="password")
    assert weak.status_code == 200
    assert "too common" in weak.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_asking_for_a_new_link_tells_the_coordinator_and_gives_the_same_answer_for_anyone(
    client, cast, sent, django_capture_on_commit_callbacks, mailoutbox
):
    invitation, _ = sent
    before = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(RENEW, {"email": "JO@agency.example.org"})
        unknown = client.post(RENEW, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    [told] = mailoutbox[before:]
    assert told.to == [cast.coordinator.email]
    assert reverse("portfolios:invitation-list") in told.body
    invitation.refresh_from_db()
    assert invitation.renewal_requested_at is not None


def test_asking_for_a_new_link_is_limited_per_address(client, sent):
    for _ in range(10):
        client.post(RENEW, {"email": "someone@example.org"})
    assert client.post(RENEW, {"email": "someone@example.org"}).status_code == 429


def test_a_person_with_a_password_is_never_invited(cast):
    assert (
        invitations.invitations_send(people=[(cast.educator, Role.EDUCATOR)], invited_by=None) == []
    )


def test_a_person_with_an_open_invitation_is_not_invited_twice(cast, invited):
    again = invitations.invitations_send(people=[(invited.user, Role.EDUCATOR)], invited_by=None)
    assert again == [] and Invitation.objects.count() == 1


# --- The coordinator's list ------------------------------------------------------------------


def test_the_coordinator_sees_who_has_not_accepted_and_can_resend_or_withdraw(
    client, cast, invited
):
    placement_update(
        actor=cast.coordinator,
        placement=cast.placement,
        educator=cast.educator,
        supervisor=invited.user,
        tutor=cast.tutor,
        setting_name=cast.placement.setting_name,
        start_date=cast.placement.start_date,
        end_date=cast.placement.end_date,
        required_days=cast.placement.required_days,
    )
    Invitation.objects.filter(pk=invited.pk).update(invited_by=None)  # seen via the placement
    client.force_login(cast.coordinator)
    response = client.get(LIST)
    page = response.content.decode()
    assert "agency@example.org" in page
    assert reverse("portfolios:invitation-resend", kwargs={"pk": invited.pk}) in page
    assert reverse("portfolios:invitation-revoke", kwargs={"pk": invited.pk}) in page


def test_the_list_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    for n in range(3):
        person = factories.EducatorFactory(email=f"pe{n}@agency.example.org")
        person.set_unusable_password()
        person.save()
        invitations.invitations_send(people=[(person, Role.EDUCATOR)], invited_by=cast.coordinator)
    client.force_login(cast.coordinator)
    client.get(LIST)  # session and roles warmed
    with django_assert_num_queries(4):
        client.get(LIST)
    for n in range(3, 9):
        person = factories.EducatorFactory(email=f"pe{n}@agency.example.org")
        person.set_unusable_password()
        person.save()
        invitations.invitations_send(people=[(person, Role.EDUCATOR)], invited_by=cast.coordinator)
    with django_assert_num_queries(4):
        page = client.get(LIST).content.decode()
    assert all(f"pe{n}@agency.example.org" in page for n in range(9))


def test_resend_and_revoke_from_the_list(
    client, cast, invited, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portfolios:invitation-resend", kwargs={"pk": invited.pk}))
    invited.refresh_from_db()
    assert invited.replaced_by is not None and mailoutbox[-1].to == ["agency@example.org"]
    fresh = invited.replaced_by
    client.post(reverse("portfolios:invitation-revoke", kwargs={"pk": fresh.pk}))
    fresh.refresh_from_db()
    assert fresh.revoked_by == cast.coordinator


def test_another_universitys_coordinator_cannot_see_resend_or_revoke(client, cast, invited):
    client.force_login(cast.other_coordinator)
    assert "agency@example.org" not in client.get(LIST).content.decode()
    for name in ("portfolios:invitation-resend", "portfolios:invitation-revoke"):
        assert client.post(reverse(name, kwargs={"pk": invited.pk})).status_code == 404
    invited.refresh_from_db()
    assert invited.revoked_at is None and invited.replaced_by is None


def test_people_who_are_not_coordinators_cannot_open_the_list(client, cast):
    client.force_login(cast.tutor)
    assert client.get(LIST).status_code == 403
