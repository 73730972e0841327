"""The daily run reminds whoever must act of what has waited too long, once each."""

from django.core.management import call_command
from django.utils import timezone

from assessments.models import Concern
from assessments.notices import reminders_send
from notifications.events import Event
from notifications.models import Notification
from portfolios.models import AttendanceDay, Placement
from tests.assessments import builders


def concern_due(cast, days_ago=0, **fields):
    domain = cast.placement.framework.domains.first()
    from assessments import services

    concern = services.concern_raise(
        actor=cast.educator,
        placement=cast.placement,
        description="Late.",
        review_date=builders.days_ahead(7),
        targets={domain: "Arrive on time."},
    )
    Concern.objects.filter(pk=concern.pk).update(review_date=builders.days_ago(days_ago), **fields)
    Notification.objects.all().delete()
    return Concern.objects.get(pk=concern.pk)


def reminders(event):
    return list(Notification.objects.filter(event=event).values_list("recipient", flat=True))


def test_an_action_plan_at_its_review_date_reminds_the_educator_once(cast):
    concern = concern_due(cast)
    call_command("send_reminders")
    call_command("send_reminders")
    assert reminders(Event.CONCERN_DUE) == [cast.educator.pk]
    assert Notification.objects.get().link == concern.get_absolute_url()


def test_an_extended_plan_reminds_again_at_its_new_date(cast):
    concern = concern_due(cast, days_ago=3)
    reminders_send()
    Concern.objects.filter(pk=concern.pk).update(
        outcome=Concern.Outcome.EXTENDED, review_date=builders.days_ago(0)
    )
    reminders_send()
    assert reminders(Event.CONCERN_DUE) == [cast.educator.pk, cast.educator.pk]


def test_a_plan_not_yet_due_or_already_resolved_reminds_nobody(cast):
    concern = concern_due(cast)
    Concern.objects.filter(pk=concern.pk).update(review_date=builders.days_ahead(1))
    assert reminders_send() == 0
    Concern.objects.filter(pk=concern.pk).update(
        review_date=builders.days_ago(1), outcome=Concern.Outcome.RESOLVED
    )
    assert reminders_send() == 0


def record_day(placement, days_ago, confirmed=False):
    return AttendanceDay.objects.create(
        placement=placement,
        date=builders.days_ago(days_ago),
        recorded_by=placement.student,
        confirmed_by=placement.educator if confirmed else None,
        confirmed_at=timezone.now() if confirmed else None,
    )


def test_attendance_unconfirmed_for_two_weeks_reminds_the_supervisor_once(cast):
    record_day(cast.placement, 15)
    record_day(cast.placement, 16)
    record_day(cast.placement, 13)
    reminders_send()
    reminders_send()
    assert reminders(Event.ATTENDANCE_UNCONFIRMED) == [cast.supervisor.pk]
    assert Notification.objects.get().link == f"/placements/{cast.placement.pk}/attendance/"


def test_without_a_supervisor_the_educator_is_reminded(cast):
    Placement.objects.filter(pk=cast.placement.pk).update(supervisor=None)
    record_day(cast.placement, 20)
    reminders_send()
    assert reminders(Event.ATTENDANCE_UNCONFIRMED) == [cast.educator.pk]


def test_attendance_confirmed_or_recent_reminds_nobody(cast):
    record_day(cast.placement, 20, confirmed=True)
    record_day(cast.placement, 10)
    assert reminders_send() == 0


def test_attendance_left_again_later_reminds_again(cast):
    first = record_day(cast.placement, 30)
    reminders_send()
    first.confirmed_at = timezone.now()
    first.confirmed_by = cast.educator
    first.save()
    record_day(cast.placement, 15)
    reminders_send()
    assert reminders(Event.ATTENDANCE_UNCONFIRMED) == [cast.supervisor.pk, cast.supervisor.pk]
