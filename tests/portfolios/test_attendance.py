"""The attendance log through its services: the student records days, the on-site supervisor
or educator confirms them a week at a time, and days completed is recounted from the
confirmed placement and study days only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portfolios import services
from portfolios.models import AttendanceDay, Placement

Kind = AttendanceDay.Kind
Portion = AttendanceDay.Portion


def last_monday() -> datetime.date:
    """The Monday of last week: every day of that week is in the past and in the placement."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 7)


def record(cast, date, *, portion=Portion.FULL, kind=Kind.PLACEMENT, reason="", actor=None):
    return services.attendance_record(
        actor=actor or cast.student,
        placement=cast.placement,
        date=date,
        portion=portion,
        kind=kind,
        absence_reason=reason,
    )


def days_completed(placement: Placement) -> Decimal:
    placement.refresh_from_db(fields=["days_completed"])
    return placement.days_completed


def error_on(exc: pytest.ExceptionInfo, field: str) -> str:
    return " ".join(exc.value.message_dict[field])


# --- Recording a day --------------------------------------------------------------------------


def test_a_student_records_a_day_which_waits_for_confirmation(cast):
    day = record(cast, last_monday())
    assert day.recorded_by == cast.student
    assert not day.is_confirmed
    assert days_completed(cast.placement) == 0


def test_an_absence_keeps_its_reason(cast):
    day = record(cast, last_monday(), kind=Kind.ABSENCE, reason="  Ill  with flu ")
    assert day.absence_reason == "Ill with flu"


def test_a_reason_given_for_a_placement_day_is_not_kept(cast):
    day = record(cast, last_monday(), reason="Typed by mistake")
    assert day.absence_reason == ""


def test_an_absence_needs_a_reason(cast):
    with pytest.raises(ValidationError) as exc:
        record(cast, last_monday(), kind=Kind.ABSENCE, reason="   ")
    assert "reason for the absence" in error_on(exc, "absence_reason")
    assert not cast.placement.attendance.exists()


def test_a_day_in_the_future_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        record(cast, timezone.localdate() + datetime.timedelta(days=1))
    assert "once it has happened" in error_on(exc, "date")


def test_today_can_be_recorded(cast):
    assert record(cast, timezone.localdate()).date == timezone.localdate()


@pytest.mark.parametrize("offset", [-1, 1])
def test_a_day_outside_the_placements_dates_is_refused(cast, offset):
    placement = cast.placement
    Placement.objects.filter(pk=placement.pk).update(
        start_date=last_monday(), end_date=last_monday() + datetime.timedelta(days=2)
    )
    placement.refresh_from_db()
    date = placement.start_date - datetime.timedelta(days=1)
    if offset > 0:
        date = placement.end_date + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        record(cast, date)
    assert "outside the placement" in error_on(exc, "date")
    assert f"{placement.start_date:%-d %B %Y}" in error_on(exc, "date")


def test_the_same_day_cannot_be_recorded_twice(cast):
    record(cast, last_monday())
    with pytest.raises(ValidationError) as exc:
        record(cast, last_monday(), portion=Portion.HALF)
    assert "already in your log" in error_on(exc, "date")
    assert cast.placement.attendance.count() == 1


@pytest.mark.parametrize("who", ["educator", "supervisor", "tutor", "coordinator", "other_student"])
def test_only_the_student_records_days(cast, who):
    with pytest.raises(PermissionDenied):
        record(cast, last_monday(), actor=getattr(cast, who))
    assert not cast.placement.attendance.exists()


@pytest.mark.parametrize(
    "status", [Placement.Status.PLANNED, Placement.Status.DEFERRED, Placement.Status.RATIFIED]
)
def test_days_are_recorded_only_while_the_placement_is_active(cast, status):
    Placement.objects.filter(pk=cast.placement.pk).update(status=status)
    with pytest.raises(ValidationError, match="only change while the placement is active"):
        record(cast, last_monday())


# --- Changing and removing ----------------------------------------------------------------------


def test_a_student_corrects_an_unconfirmed_day(cast):
    day = record(cast, last_monday())
    services.attendance_update(
        actor=cast.student,
        day=day,
        date=last_monday() + datetime.timedelta(days=1),
        portion=Portion.HALF,
        kind=Kind.ABSENCE,
        absence_reason="Dentist",
    )
    day.refresh_from_db()
    assert (day.date.weekday(), day.portion, day.kind) == (1, Portion.HALF, Kind.ABSENCE)
    assert day.absence_reason == "Dentist"


def test_a_correction_cannot_move_onto_another_recorded_day(cast):
    day = record(cast, last_monday())
    record(cast, last_monday() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.attendance_update(
            actor=cast.student,
            day=day,
            date=last_monday() + datetime.timedelta(days=1),
            portion=Portion.FULL,
            kind=Kind.PLACEMENT,
        )
    assert "already in your log" in error_on(exc, "date")


def test_a_correction_may_keep_the_same_date(cast):
    day = record(cast, last_monday())
    services.attendance_update(
        actor=cast.student, day=day, date=day.date, portion=Portion.HALF, kind=Kind.STUDY
    )
    day.refresh_from_db()
    assert day.kind == Kind.STUDY


def test_a_student_removes_an_unconfirmed_day(cast):
    day = record(cast, last_monday())
    services.attendance_remove(actor=cast.student, day=day)
    assert not cast.placement.attendance.exists()


def test_a_confirmed_day_can_be_neither_changed_nor_removed(cast):
    day = record(cast, last_monday())
    services.attendance_confirm_week(
        actor=cast.supervisor, placement=cast.placement, week_start=last_monday()
    )
    with pytest.raises(ValidationError, match="has been confirmed"):
        services.attendance_remove(actor=cast.student, day=day)
    with pytest.raises(ValidationError, match="has been confirmed"):
        services.attendance_update(
            actor=cast.student, day=day, date=day.date, portion=Portion.HALF, kind=Kind.PLACEMENT
        )
    day.refresh_from_db()
    assert day.portion == Portion.FULL
    assert days_completed(cast.placement) == 1


@pytest.mark.parametrize("who", ["educator", "supervisor", "tutor", "other_student"])
def test_only_the_student_changes_or_removes_a_day(cast, who):
    day = record(cast, last_monday())
    with pytest.raises(PermissionDenied):
        services.attendance_remove(actor=getattr(cast, who), day=day)
    with pytest.raises(PermissionDenied):
        services.attendance_update(
            actor=getattr(cast, who), day=day, date=day.date, portion="half", kind="placement"
        )
    assert cast.placement.attendance.get().portion == Portion.FULL


# --- Confirming a week --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "educator"])
def test_the_supervisor_or_educator_confirms_a_whole_week_at_once(cast, who):
    monday = last_monday()
    for offset in range(5):
        record(cast, monday + datetime.timedelta(days=offset))
    week_before = record(cast, monday - datetime.timedelta(days=1))
    confirmed = services.attendance_confirm_week(
        actor=getattr(cast, who), placement=cast.placement, week_start=monday
    )
    assert len(confirmed) == 5
    rows = cast.placement.attendance.exclude(pk=week_before.pk)
    assert all(d.confirmed_by == getattr(cast, who) and d.is_confirmed for d in rows)
    week_before.refresh_from_db()
    assert not week_before.is_confirmed
    assert days_completed(cast.placement) == 5


def test_any_day_of_the_week_names_its_week(cast):
    sunday = last_monday() + datetime.timedelta(days=6)
    record(cast, last_monday())
    record(cast, sunday)
    confirmed = services.attendance_confirm_week(
        actor=cast.supervisor, placement=cast.placement, week_start=sunday
    )
    assert len(confirmed) == 2


def test_confirming_a_week_leaves_days_already_confirmed_as_they_were(cast):
    first = record(cast, last_monday())
    services.attendance_confirm_week(
        actor=cast.supervisor, placement=cast.placement, week_start=last_monday()
    )
    first.refresh_from_db()
    stamp = first.confirmed_at
    record(cast, last_monday() + datetime.timedelta(days=1))
    services.attendance_confirm_week(
        actor=cast.educator, placement=cast.placement, week_start=last_monday()
    )
    first.refresh_from_db()
    assert (first.confirmed_by, first.confirmed_at) == (cast.supervisor, stamp)
    assert days_completed(cast.placement) == 2


def test_a_week_with_nothing_to_confirm_is_refused_politely(cast):
    with pytest.raises(ValidationError, match="no unconfirmed days in the week of"):
        services.attendance_confirm_week(
            actor=cast.supervisor, placement=cast.placement, week_start=last_monday()
        )


@pytest.mark.parametrize("who", ["student", "tutor", "coordinator", "panel", "other_educator"])
def test_only_the_supervisor_or_educator_confirms(cast, who):
    record(cast, last_monday())
    with pytest.raises(PermissionDenied):
        services.attendance_confirm_week(
            actor=getattr(cast, who), placement=cast.placement, week_start=last_monday()
        )
    assert not cast.placement.attendance.get().is_confirmed
    assert days_completed(cast.placement) == 0


def test_a_placement_without_an_on_site_supervisor_is_confirmed_by_its_educator(cast):
    Placement.objects.filter(pk=cast.placement.pk).update(supervisor=None)
    cast.placement.refresh_from_db()
    record(cast, last_monday())
    with pytest.raises(PermissionDenied):
        services.attendance_confirm_week(
            actor=cast.supervisor, placement=cast.placement, week_start=last_monday()
        )
    services.attendance_confirm_week(
        actor=cast.educator, placement=cast.placement, week_start=last_monday()
    )
    assert days_completed(cast.placement) == 1


def test_a_week_is_confirmed_only_while_the_placement_is_active(cast):
    record(cast, last_monday())
    Placement.objects.filter(pk=cast.placement.pk).update(
        status=Placement.Status.FINAL_REVIEW_SIGNED
    )
    with pytest.raises(ValidationError, match="only change while the placement is active"):
        services.attendance_confirm_week(
            actor=cast.supervisor, placement=cast.placement, week_start=last_monday()
        )


# --- Days completed -----------------------------------------------------------------------------


def test_days_completed_counts_confirmed_placement_and_study_days_with_half_days(cast):
    monday = last_monday()
    record(cast, monday)
    record(cast, monday + datetime.timedelta(days=1), portion=Portion.HALF)
    record(cast, monday + datetime.timedelta(days=2), kind=Kind.STUDY)
    record(cast, monday + datetime.timedelta(days=3), kind=Kind.ABSENCE, reason="Ill")
    record(
        cast,
        monday + datetime.timedelta(days=4),
        kind=Kind.ABSENCE,
        portion=Portion.HALF,
        reason="Hospital appointment",
    )
    services.attendance_confirm_week(
        actor=cast.supervisor, placement=cast.placement, week_start=monday
    )
    assert days_completed(cast.placement) == Decimal("2.5")
    # A later unconfirmed day does not count until it is confirmed.
    record(cast, monday + datetime.timedelta(days=7))
    assert days_completed(cast.placement) == Decimal("2.5")


def test_days_completed_is_recounted_from_the_log_not_added_to(cast):
    Placement.objects.filter(pk=cast.placement.pk).update(days_completed=40)
    record(cast, last_monday())
    services.attendance_confirm_week(
        actor=cast.supervisor, placement=cast.placement, week_start=last_monday()
    )
    assert days_completed(cast.placement) == 1


def test_removing_an_unconfirmed_day_leaves_the_confirmed_count(cast):
    monday = last_monday()
    record(cast, monday)
    services.attendance_confirm_week(
        actor=cast.supervisor, placement=cast.placement, week_start=monday
    )
    later = record(cast, monday + datetime.timedelta(days=7), portion=Portion.HALF)
    services.attendance_remove(actor=cast.student, day=later)
    assert days_completed(cast.placement) == 1
