"""The attendance log: the student records days; the on-site supervisor or educator confirms
them a week at a time. Everyone else who may see the placement may read the log."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portfolios import services
from portfolios.forms import apply_service_errors
from portfolios.forms.attendance import AttendanceDayForm, AttendanceWeekForm
from portfolios.models import AttendanceDay, Placement
from portfolios.services.attendance import week_start_of
from portfolios.views.common import error_message, placement_for

# A recorded day still unconfirmed after this long is flagged to the tutor.
STALE_AFTER = datetime.timedelta(days=14)


@dataclass
class Week:
    monday: datetime.date
    days: list[AttendanceDay] = field(default_factory=list)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def unconfirmed(self) -> int:
        return sum(1 for day in self.days if not day.is_confirmed)


def _weeks(days: list[AttendanceDay]) -> list[Week]:
    """The log by week, Monday to Sunday, the latest week first."""
    weeks: dict[datetime.date, Week] = {}
    for day in days:
        monday = week_start_of(day.date)
        weeks.setdefault(monday, Week(monday)).days.append(day)
    return sorted(weeks.values(), key=lambda week: week.monday, reverse=True)


def _page_url(placement: Placement) -> str:
    return reverse("portfolios:attendance", kwargs={"pk": placement.pk})


@login_required
def attendance(request, pk):
    placement = placement_for(request, pk)
    is_student = placement.student_id == request.user.pk
    if request.method == "POST" and not is_student:
        raise PermissionDenied("Only the student records their attendance.")
    form = AttendanceDayForm(request.POST or None) if is_student else None
    if form is not None:
        # The date picker offers only days that can be recorded.
        latest = min(placement.end_date, timezone.localdate())
        form.fields["date"].widget.attrs.update(
            min=placement.start_date.isoformat(), max=latest.isoformat()
        )
    if request.method == "POST" and form.is_valid():
        try:
            day = services.attendance_record(
                actor=request.user, placement=placement, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, f"{day.date:%A %-d %B} is in your log, waiting to be confirmed."
            )
            return redirect(_page_url(placement))
    days = list(placement.attendance.select_related("confirmed_by"))
    counted = AttendanceDay.COUNTED_KINDS
    context = {
        "placement": placement,
        "form": form,
        "is_active": placement.status == Placement.Status.ACTIVE,
        "can_confirm": services.can_confirm_attendance(actor=request.user, placement=placement),
        "weeks": _weeks(days),
        "waiting": sum(
            (d.days for d in days if not d.is_confirmed and d.kind in counted), Decimal(0)
        ),
        "absent": sum((d.days for d in days if d.kind == AttendanceDay.Kind.ABSENCE), Decimal(0)),
        "stale_before": timezone.localdate() - STALE_AFTER,
    }
    return render(request, "portfolios/attendance.html", context)


@require_POST
@login_required
def attendance_remove(request, pk, day_pk):
    placement = placement_for(request, pk)
    day = get_object_or_404(placement.attendance, pk=day_pk)
    try:
        services.attendance_remove(actor=request.user, day=day)
    except ValidationError as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, f"{day.date:%A %-d %B} is no longer in your log.")
    return redirect(_page_url(placement))


@require_POST
@login_required
def attendance_confirm(request, pk):
    placement = placement_for(request, pk)
    form = AttendanceWeekForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That week could not be confirmed. Please try again.")
        return redirect(_page_url(placement))
    try:
        days = services.attendance_confirm_week(
            actor=request.user, placement=placement, week_start=form.cleaned_data["week_start"]
        )
    except ValidationError as error:
        messages.error(request, error_message(error))
    else:
        monday = week_start_of(days[0].date)
        messages.success(
            request,
            f"You have confirmed {len(days)} day{'s' if len(days) != 1 else ''} "
            f"in the week of {monday:%-d %B}.",
        )
    return redirect(_page_url(placement))
