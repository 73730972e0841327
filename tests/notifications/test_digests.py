"""A person who chose the daily summary gets one email a day of everything that waited."""

import datetime
import re

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from assessments import services as reviews
from notifications.events import Event
from notifications.models import MailPreference, Notification
from notifications.services import digests_send, mail_preference_set, notify
from portfolios import services
from tests.assessments import builders
from tests.notifications.helpers import assert_none_of

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


def test_each_digest_line_says_what_to_do_with_its_link_and_no_case_detail(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    daily(cast.tutor)
    daily(cast.educator)
    review = builders.ready(cast.placement, "final")
    draft = builders.evidence(cast.placement, submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_submit(actor=cast.student, evidence=draft)
        review = reviews.review_sign(actor=cast.educator, review=review)
        reviews.review_acknowledge(actor=cast.student, review=review, comment="Quillbrook-SC-1")
    with django_capture_on_commit_callbacks(execute=True):
        digests_send()
    student = cast.student.get_full_name()
    by_reader = {m.to[0]: m for m in mailoutbox}
    tutor, educator = by_reader[cast.tutor.email], by_reader[cast.educator.email]
    for digest, line, link in [
        (tutor, f"Countersign {student}'s final review", review.get_absolute_url()),
        (educator, f"Review {student}'s evidence", draft.get_absolute_url()),
    ]:
        html = digest.alternatives[0][0]
        item = rf"- {re.escape(line)}\n  [^\n]+\n  {re.escape(settings.SITE_URL + link)}\n"
        assert re.search(item, digest.body), digest.body
        assert f'{link}" style="color:#0a58ca;font-weight:bold;">{escape(line)}</a>' in html
    for digest in (tutor, educator):
        assert "Open it in Practice Portfolio" not in digest.body + digest.alternatives[0][0]
    assert_none_of(["Quillbrook-SC-1", draft.title], [tutor, educator])
