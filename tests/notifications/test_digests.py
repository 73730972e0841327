"""A person who chose the daily summary gets one email a day of everything that waited."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from notifications.events import Event
from notifications.models import MailPreference, Notification
from notifications.services import digests_send, mail_preference_set, notify

Status = Notification.Status


def daily(user):
    MailPreference.objects.create(user=user, frequency=MailPreference.Frequency.DAILY)


def waiting_for(user, n=1):
    return [
        notify(
            user=user,
            event=Event.EVIDENCE_SUBMITTED,
            link=f"/evidence/{i}/",
            context={"student_name": "Sam Student"},
        )
        for i in range(n)
    ]


def test_a_digest_reader_is_not_emailed_at_once(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    daily(cast.educator)
    with django_capture_on_commit_callbacks(execute=True):
        (item,) = waiting_for(cast.educator)
    assert item.status == Status.WAITING
    assert mailoutbox == []


def test_one_email_carries_everything_that_waited_and_a_second_run_sends_nothing(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    daily(cast.educator)
    items = waiting_for(cast.educator, 3)
    waiting_for(cast.tutor)  # immediate: not part of any digest
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")
    digests = [m for m in mailoutbox if m.to == [cast.educator.email]]
    (digest,) = digests
    assert digest.subject == "Practice Portfolio: what needs you today"
    for item in items:
        assert item.url in digest.body
        assert item.url in digest.alternatives[0][0]
    assert digest.body.count("has submitted evidence for you to review") == 3
    record = Notification.objects.get(event=Event.DIGEST)
    assert (record.status, record.digest_date) == (Status.SENT, timezone.localdate())
    assert set(record.items.all()) == set(items)
    assert set(
        Notification.objects.filter(pk__in=[i.pk for i in items]).values_list("status", flat=True)
    ) == {Status.IN_DIGEST}

    count = len(mailoutbox)
    later = waiting_for(cast.educator)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")
        call_command("send_digests")
    assert len(mailoutbox) == count  # today's digest has gone; the new item waits
    later[0].refresh_from_db()
    assert later[0].status == Status.WAITING

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(today=tomorrow) == 1
    assert mailoutbox[-1].to == [cast.educator.email]
    assert later[0].url in mailoutbox[-1].body


def test_nobody_with_nothing_waiting_gets_a_digest(cast, mailoutbox):
    daily(cast.educator)
    assert digests_send() == 0
    assert not Notification.objects.exists()


def test_switching_to_immediate_sends_what_was_waiting(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    daily(cast.educator)
    waiting_for(cast.educator, 2)
    with django_capture_on_commit_callbacks(execute=True):
        mail_preference_set(user=cast.educator, frequency=MailPreference.Frequency.IMMEDIATE)
    assert len(mailoutbox) == 2
    assert not Notification.objects.filter(status=Status.WAITING).exists()
