"""The attendance log. The student records each day; the on-site supervisor or the educator
confirms them a week at a time. `Placement.days_completed` is recounted from the confirmed
rows in the same transaction as every change to the log, and is set nowhere else."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from portfolios.models import AttendanceDay, Placement
from portfolios.selectors import HALF_DAYS
from portfolios.services.evidence import write_reopened

Kind = AttendanceDay.Kind
Portion = AttendanceDay.Portion


def week_start_of(day: datetime.date) -> datetime.date:
    """The Monday of the week `day` falls in."""
    return day - datetime.timedelta(days=day.weekday())


def _locked_placement(placement: Placement) -> Placement:
    return Placement.objects.select_for_update().get(pk=placement.pk)


def _require_active(placement: Placement) -> None:
    if placement.status != Placement.Status.ACTIVE and not write_reopened(placement):
        status = placement.get_status_display().lower()
        raise ValidationError(
            f"The attendance log can only change while the placement is active; it is {status}."
        )


def _require_student(*, actor: User, placement: Placement) -> None:
    if placement.student_id != actor.pk:
        raise PermissionDenied("Only the student records their attendance.")


def can_confirm_attendance(*, actor: User, placement: Placement) -> bool:
    """The on-site supervisor or the practice educator confirms the student's days."""
    if actor.pk is None or actor.pk == placement.student_id:
        return False
    return placement.supervisor_id == actor.pk or actor.has_perm(
        "portfolios.assess_placement", placement
    )


def _check_day(
    *,
    placement: Placement,
    date: datetime.date,
    kind: str,
    absence_reason: str,
    exclude_pk: int | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if date > timezone.localdate():
        errors["date"] = "You can only record a day once it has happened."
    elif not placement.start_date <= date <= placement.end_date:
        errors["date"] = (
            f"{date:%-d %B %Y} is outside the placement, which runs from "
            f"{placement.start_date:%-d %B %Y} to {placement.end_date:%-d %B %Y}."
        )
    elif placement.attendance.filter(date=date).exclude(pk=exclude_pk).exists():
        errors["date"] = (
            f"{date:%-d %B %Y} is already in your log. Remove that entry first if it is wrong."
        )
    if kind == Kind.ABSENCE and not absence_reason:
        errors["absence_reason"] = "Please give the reason for the absence."
    return errors


def attendance_recount(*, placement: Placement) -> Decimal:
    """Set the placement's days completed from its confirmed placement and study days.

    Call inside the transaction that changed the log, with the placement row locked."""
    half_days = AttendanceDay.objects.filter(
        placement_id=placement.pk, kind__in=AttendanceDay.COUNTED_KINDS, confirmed_at__isnull=False
    ).aggregate(n=Sum(HALF_DAYS))["n"]
    days = Decimal(half_days or 0) / 2
    Placement.objects.filter(pk=placement.pk).update(days_completed=days)
    placement.days_completed = days
    return days


@transaction.atomic
def attendance_record(
    *,
    actor: User,
    placement: Placement,
    date: datetime.date,
    portion: str,
    kind: str,
    absence_reason: str = "",
) -> AttendanceDay:
    """The student records one day. It counts once the supervisor or educator confirms it."""
    placement = _locked_placement(placement)
    _require_student(actor=actor, placement=placement)
    _require_active(placement)
    absence_reason = " ".join(absence_reason.split()) if kind == Kind.ABSENCE else ""
    errors = _check_day(placement=placement, date=date, kind=kind, absence_reason=absence_reason)
    if errors:
        raise ValidationError(errors)
    day = AttendanceDay(
        placement=placement,
        date=date,
        portion=portion,
        kind=kind,
        absence_reason=absence_reason,
        recorded_by=actor,
    )
    day.full_clean()
    day.save()
    attendance_recount(placement=placement)
    return day


def _locked_day(*, actor: User, day: AttendanceDay) -> tuple[Placement, AttendanceDay]:
    """Lock the placement, then the day, and check the student may still change it."""
    placement = _locked_placement(day.placement)
    _require_student(actor=actor, placement=placement)
    _require_active(placement)
    day = AttendanceDay.objects.select_for_update().get(pk=day.pk)
    if day.is_confirmed:
        raise ValidationError(
            f"{day.date:%-d %B %Y} has been confirmed and can no longer be changed. "
            "Ask whoever confirmed it if it is wrong."
        )
    return placement, day


@transaction.atomic
def attendance_update(
    *,
    actor: User,
    day: AttendanceDay,
    date: datetime.date,
    portion: str,
    kind: str,
    absence_reason: str = "",
) -> AttendanceDay:
    """The student corrects a day that has not been confirmed yet."""
    placement, day = _locked_day(actor=actor, day=day)
    absence_reason = " ".join(absence_reason.split()) if kind == Kind.ABSENCE else ""
    errors = _check_day(
        placement=placement,
        date=date,
        kind=kind,
        absence_reason=absence_reason,
        exclude_pk=day.pk,
    )
    if errors:
        raise ValidationError(errors)
    day.date = date
    day.portion = portion
    day.kind = kind
    day.absence_reason = absence_reason
    day.full_clean()
    day.save()
    attendance_recount(placement=placement)
    return day


@transaction.atomic
def attendance_remove(*, actor: User, day: AttendanceDay) -> None:
    """The student removes a day that has not been confirmed yet."""
    placement, day = _locked_day(actor=actor, day=day)
    day.delete()
    attendance_recount(placement=placement)


@transaction.atomic
def attendance_confirm_week(
    *, actor: User, placement: Placement, week_start: datetime.date
) -> list[AttendanceDay]:
    """Confirm every unconfirmed day from the Monday of `week_start`'s week to its Sunday."""
    placement = _locked_placement(placement)
    if not can_confirm_attendance(actor=actor, placement=placement):
        raise PermissionDenied(
            "Only the on-site supervisor or the practice educator confirms attendance."
        )
    _require_active(placement)
    if not placement.start_date <= week_start <= placement.end_date:
        raise ValidationError(
            f"That week is outside the placement ({placement.start_date:%-d %B %Y} to "
            f"{placement.end_date:%-d %B %Y})."
        )
    monday = week_start_of(week_start)
    days = list(
        placement.attendance.select_for_update().filter(
            date__range=(monday, monday + datetime.timedelta(days=6)), confirmed_at__isnull=True
        )
    )
    if not days:
        raise ValidationError(
            f"There are no unconfirmed days in the week of {monday:%-d %B %Y} to confirm."
        )
    now = timezone.now()
    for day in days:
        day.confirmed_by = actor
        day.confirmed_at = now
        # save(), not a queryset update, so the history keeps who confirmed each day.
        day.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])
    attendance_recount(placement=placement)
    return days
