"""Invitation and password reset emails go through the task queue like every other email, and
no token reaches the queue: the task is given a notification's id, and the worker makes the
link when it sends. A retry sends the same link; a link that died before it was sent is not
sent; a mail server that is down costs the page nothing and loses nothing."""

import datetime
import hashlib
import json
import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts import invitations
from accounts.models import Invitation
from accounts.roles import Role
from notifications.events import Event
from notifications.models import MailPreference, Notification
from tests import factories
from tests.notifications.test_delivery import DB_TASKS, mail_server_down, run_worker

pytestmark = pytest.mark.django_db

Status = Notification.Status
GOOD_PASSWORD = "a long walk by the river"
NEW_PASSWORD = "kettle-harbour-violet-93"
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def invitation_token(message) -> str:
    return re.search(r"/accounts/invitation/([\w-]+)/", message.body).group(1)


def reset_path(message) -> str:
    return re.search(r"(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body).group(1)


def stored_task_arguments() -> str:
    return json.dumps([list(r.args_kwargs.values()) for r in DBTaskResult.objects.all()])


def due_now():
    """Bring every waiting retry forward to now, as if its back-off had passed."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    Notification.objects.filter(status=Status.QUEUED).update(next_attempt_at=timezone.now())


@pytest.fixture
def agency_educator(cast):
    person = factories.EducatorFactory(email="jo@agency.example.org", first_name="Jo")
    person.set_unusable_password()
    person.save()
    return person


@pytest.fixture
def db_queue(settings):
    settings.TASKS = DB_TASKS


def invite(cast, person, capture) -> Invitation:
    with capture(execute=True):
        [invitation] = invitations.invitations_send(
            people=[(person, Role.EDUCATOR)], invited_by=cast.coordinator
        )
    return invitation


def test_the_queue_holds_no_token_and_the_worker_sends_a_link_that_sets_the_password(
    client, cast, agency_educator, db_queue, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = invite(cast, agency_educator, django_capture_on_commit_callbacks)
    assert mailoutbox == []  # only queued
    notification = Notification.objects.get(event=Event.INVITATION)
    (task,) = DBTaskResult.objects.all()
    assert task.status == "READY"
    assert task.args_kwargs == {"args": [notification.pk], "kwargs": {}}
    assert notification.link == ""

    run_worker()

    (message,) = mail.outbox
    assert message.to == [agency_educator.email]
    token = invitation_token(message)
    assert hashlib.sha256(token.encode()).hexdigest() == invitation.token_hash
    assert token not in stored_task_arguments()
    assert token not in json.dumps(list(Notification.objects.values("link", "context")))
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 1)

    url = reverse("accounts:invitation-accept", kwargs={"token": token})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portfolios:dashboard-educator")
    assert response.status_code == 200
    agency_educator.refresh_from_db()
    assert agency_educator.check_password(GOOD_PASSWORD)


def test_a_mail_server_that_is_down_costs_the_page_nothing_and_the_retry_sends_one_link(
    client, cast, agency_educator, db_queue, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.coordinator)
    with (
        mock.patch(SEND, side_effect=AssertionError("the page tried to send mail")) as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        invitation = invite(cast, agency_educator, django_capture_on_commit_callbacks)
    assert not send.called

    with mail_server_down():
        run_worker()
    notification = Notification.objects.get(event=Event.INVITATION)
    assert (notification.status, notification.attempts) == (Status.QUEUED, 1)
    assert "mail server down" in notification.last_error
    assert mailoutbox == []

    due_now()
    run_worker()
    (message,) = mailoutbox
    token = invitation_token(message)
    invitation.refresh_from_db()
    assert hashlib.sha256(token.encode()).hexdigest() == invitation.token_hash
    assert Invitation.objects.filter(user=agency_educator).count() == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 2)


def test_a_retry_after_a_send_that_failed_halfway_sends_the_same_working_link(
    client, cast, agency_educator, db_queue, mailoutbox, django_capture_on_commit_callbacks
):
    """The server took the message but the connection failed before it said so: the person
    may have the first email, and the retry's link must be that same, working link."""
    invite(cast, agency_educator, django_capture_on_commit_callbacks)
    real_send = mail.get_connection().__class__.send_messages

    def delivered_then_failed(self, messages):
        real_send(self, messages)
        raise TimeoutError("no reply after DATA")

    with mock.patch(SEND, delivered_then_failed):
        run_worker()
    due_now()
    run_worker()
    first, second = mailoutbox
    assert invitation_token(first) == invitation_token(second)
    assert accept_status(client, invitation_token(first)) == 302


def accept_status(client, token) -> int:
    url = reverse("accounts:invitation-accept", kwargs={"token": token})
    data = {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    return client.post(url, data).status_code


def test_a_link_withdrawn_before_the_worker_runs_is_never_sent(
    cast, agency_educator, db_queue, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = invite(cast, agency_educator, django_capture_on_commit_callbacks)
    invitations.invitation_revoke(actor=cast.coordinator, invitation=invitation)
    run_worker()
    assert mailoutbox == []
    notification = Notification.objects.get(event=Event.INVITATION)
    assert notification.status == Status.CANCELLED
    assert "no longer worked" in notification.last_error


def test_a_resend_before_the_worker_runs_sends_only_the_new_link(
    client, cast, agency_educator, db_queue, mailoutbox, django_capture_on_commit_callbacks
):
    old = invite(cast, agency_educator, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = invitations.invitation_resend(actor=cast.coordinator, invitation=old)
    run_worker()
    (message,) = mailoutbox
    token = invitation_token(message)
    assert hashlib.sha256(token.encode()).hexdigest() == fresh.token_hash
    statuses = dict(Notification.objects.values_list("invitation_id", "status"))
    assert statuses == {old.pk: Status.CANCELLED, fresh.pk: Status.SENT}
    url = reverse("accounts:invitation-accept", kwargs={"token": token})
    response = client.post(url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 302


def test_a_cancelled_or_failed_invitation_email_shows_in_the_admin(
    cast, admin_client, agency_educator, db_queue, django_capture_on_commit_callbacks
):
    invitation = invite(cast, agency_educator, django_capture_on_commit_callbacks)
    invitations.invitation_revoke(actor=cast.coordinator, invitation=invitation)
    run_worker()
    page = admin_client.get(
        reverse("admin:notifications_notification_changelist"), {"status": "cancelled"}
    )
    assert agency_educator.email in page.content.decode()


def test_an_invitation_never_waits_for_a_digest(
    cast, agency_educator, mailoutbox, django_capture_on_commit_callbacks
):
    MailPreference.objects.create(user=agency_educator, frequency=MailPreference.Frequency.DAILY)
    invitation = invite(cast, agency_educator, django_capture_on_commit_callbacks)
    (sent,) = mailoutbox
    assert "Choose your password" in sent.alternatives[0][0]
    assert invitation.expires_at.astimezone().strftime("%-d %B %Y") in sent.body


def test_asking_for_a_new_link_tells_the_coordinator_through_the_queue(
    client, cast, agency_educator, db_queue, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = invite(cast, agency_educator, django_capture_on_commit_callbacks)
    invitations.invitation_revoke(actor=cast.coordinator, invitation=invitation)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invitation-renew"), {"email": agency_educator.email})
    assert mailoutbox == []
    run_worker()
    (told,) = mailoutbox
    assert told.to == [cast.coordinator.email]
    assert f"{agency_educator.email}, whom you invited" in told.body
    assert reverse("portfolios:invitation-list") in told.body


# --- Password reset ---------------------------------------------------------------------------


def ask_reset(client, capture, email):
    with capture(execute=True):
        return client.post(reverse("accounts:password-reset"), {"email": email})


def test_a_reset_is_queued_without_its_token_and_the_worker_sends_a_working_link(
    client, cast, db_queue, mailoutbox, django_capture_on_commit_callbacks
):
    response = ask_reset(client, django_capture_on_commit_callbacks, cast.student.email)
    assert response.status_code == 302 and mailoutbox == []
    notification = Notification.objects.get(event=Event.PASSWORD_RESET)
    assert DBTaskResult.objects.get().args_kwargs == {"args": [notification.pk], "kwargs": {}}

    run_worker()

    (message,) = mailoutbox
    path = reset_path(message)
    assert path.split("/")[-2] not in stored_task_arguments()
    response = client.get(path, follow=True)
    assert "Choose a new password" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password-reset-complete")
    cast.student.refresh_from_db()
    assert cast.student.check_password(NEW_PASSWORD)


def test_a_reset_retried_later_sends_the_same_link(
    client, cast, db_queue, mailoutbox, django_capture_on_commit_callbacks
):
    ask_reset(client, django_capture_on_commit_callbacks, cast.student.email)
    real_send = mail.get_connection().__class__.send_messages

    def delivered_then_failed(self, messages):
        real_send(self, messages)
        raise TimeoutError("no reply after DATA")

    with mock.patch(SEND, delivered_then_failed):
        run_worker()
    due_now()
    later = datetime.datetime.now() + datetime.timedelta(minutes=5)
    with mock.patch(
        "django.contrib.auth.tokens.PasswordResetTokenGenerator._now", return_value=later
    ):
        run_worker()
    first, second = mailoutbox
    assert reset_path(first) == reset_path(second)


def test_a_reset_whose_link_expired_while_the_server_was_down_is_not_sent(
    client, cast, settings, db_queue, mailoutbox, django_capture_on_commit_callbacks
):
    ask_reset(client, django_capture_on_commit_callbacks, cast.student.email)
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(days=4))
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    run_worker()
    assert mailoutbox == []
    assert Notification.objects.get().status == Status.CANCELLED
