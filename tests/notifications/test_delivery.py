"""A mail server that fails never undoes the step that caused the email: the notification is
recorded, tried again with a back-off, marked failed after the last try, and can be sent again
from the admin once the server is back."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments import services as reviews
from assessments.models import Review
from notifications.events import Event
from notifications.models import Notification
from notifications.services import notify
from tests.assessments import builders

Status = Notification.Status
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def mail_server_down():
    return mock.patch(SEND, side_effect=ConnectionRefusedError("mail server down"))


def run_worker():
    """The database worker, in this process and this test's transaction (which its habit of
    closing stale connections would end); test_worker_postgres.py runs it as its own process."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def test_a_signature_stands_when_the_mail_server_is_down_and_the_email_is_marked_failed(
    cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    review = builders.ready(cast.placement, "midpoint")
    with mail_server_down(), django_capture_on_commit_callbacks(execute=True):
        reviews.review_sign(actor=cast.educator, review=review)
    assert Review.objects.get(pk=review.pk).status == Review.Status.SIGNED
    notification = Notification.objects.get(event=Event.REVIEW_TO_ACKNOWLEDGE)
    assert (notification.status, notification.attempts) == (Status.FAILED, 3)
    assert "ConnectionRefusedError: mail server down" in notification.last_error
    assert mailoutbox == []


def test_the_admin_sends_a_failed_email_again(
    cast, admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    with mail_server_down(), django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            user=cast.student, event=Event.EVIDENCE_COMMENTED, link="/x/", context={"role": "tutor"}
        )
    assert Notification.objects.get().status == Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/notifications/notification/",
            {"action": "send_again", "_selected_action": [notification.pk]},
        )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 1)
    assert [m.to for m in mailoutbox] == [[cast.student.email]]


def test_on_the_database_queue_a_failure_is_tried_again_later_with_a_back_off(
    cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = DB_TASKS
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=cast.tutor, event=Event.CONCERN_RAISED, link="/concerns/1/")
    assert DBTaskResult.objects.count() == 1
    with mail_server_down():
        run_worker()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.QUEUED, 1)
    wait = notification.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= datetime.timedelta(minutes=1)
    retry = DBTaskResult.objects.get(status="READY")
    assert abs(retry.run_after - notification.next_attempt_at) < datetime.timedelta(seconds=1)
    run_worker()  # not due yet: nothing happens
    assert mailoutbox == []
    # A minute later the retry runs, and the server is still down: the last try fails it.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    with mail_server_down():
        run_worker()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 2)
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_worker_sends_what_the_page_queued(
    cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = DB_TASKS
    draft = builders.evidence(cast.placement, submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        from portfolios import services

        services.evidence_submit(actor=cast.student, evidence=draft)
    assert mailoutbox == []  # the page only queued it
    run_worker()
    assert [m.to for m in mailoutbox] == [[cast.educator.email]]
    assert Notification.objects.get().status == Status.SENT
    run_worker()  # a second run finds nothing more to send
    assert len(mailoutbox) == 1


def test_a_queue_that_refuses_the_task_loses_nothing(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "django_tasks.backends.immediate.ImmediateBackend.enqueue",
            side_effect=OSError("no queue"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(user=cast.tutor, event=Event.CONCERN_RAISED, link="/concerns/1/")
    assert Notification.objects.get().status == Status.QUEUED
    assert mailoutbox == []
    # The daily run puts an hour-old queued notification on the queue again.
    Notification.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")
    assert [m.to for m in mailoutbox] == [[cast.tutor.email]]


@pytest.mark.parametrize(
    "context",
    [{}, {"role": "tutor", "detail": "x"}, {"student_name": "A"}, {"role": 3}],
)
def test_notify_takes_exactly_the_fields_its_sentence_names(cast, context):
    with pytest.raises(ValueError):
        notify(user=cast.student, event=Event.EVIDENCE_COMMENTED, link="/x/", context=context)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("link", ["https://elsewhere.example/", "//elsewhere.example/", "x/"])
def test_notify_links_only_to_this_site(cast, link):
    with pytest.raises(ValueError):
        notify(user=cast.tutor, event=Event.CONCERN_RAISED, link=link)


def test_a_reminder_with_a_key_is_recorded_once(cast):
    first = notify(user=cast.tutor, event=Event.CONCERN_DUE, link="/c/", once_key="c1:2027-01-01")
    again = notify(user=cast.tutor, event=Event.CONCERN_DUE, link="/c/", once_key="c1:2027-01-01")
    assert first is not None and again is None
    assert Notification.objects.count() == 1
