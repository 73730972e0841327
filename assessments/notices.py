"""Who is told what, by email, as a review or a concern moves on, and the daily reminders.

Each function is called inside the service's transaction, so a step that fails tells nobody.
Emails carry the sentence and link of `notifications.events`, nothing of the case itself.
"""

import datetime

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from assessments.models import Concern, Review
from notifications.events import Event
from notifications.services import notify
from portfolios.models import AttendanceDay, Placement

# Attendance waits this long for its confirmation before the confirmer is reminded.
ATTENDANCE_GRACE = datetime.timedelta(days=14)


def _student_name(placement: Placement) -> dict[str, str]:
    return {"student_name": placement.student.display_name}


def review_signed(review: Review) -> None:
    """The student is asked to acknowledge what the educator signed."""
    placement = review.placement
    notify(
        user=placement.student,
        event=Event.REVIEW_TO_ACKNOWLEDGE,
        link=review.get_absolute_url(),
        context={
            "role": placement.framework.educator_title,
            "review_kind": review.get_kind_display().lower(),
        },
    )


def review_acknowledged(review: Review) -> None:
    """A final review goes on to the tutor to countersign."""
    if review.is_final:
        notify(
            user=review.placement.tutor,
            event=Event.REVIEW_TO_COUNTERSIGN,
            link=review.get_absolute_url(),
            context=_student_name(review.placement),
        )


def review_countersigned(review: Review) -> None:
    """Every panel member of the placement's university is told a report waits for them."""
    placement = review.placement
    panel = User.objects.filter(
        universities=placement.programme.university_id, groups__name=Role.PANEL, is_active=True
    ).distinct()
    for member in panel:
        notify(
            user=member,
            event=Event.REVIEW_TO_RATIFY,
            link=review.get_absolute_url(),
            context=_student_name(placement),
        )


def review_returned(returned: Review, new_version: Review) -> None:
    """The educator is told the panel sent the review back, and opens the new draft."""
    notify(
        user=returned.placement.educator,
        event=Event.REVIEW_RETURNED,
        link=new_version.get_absolute_url(),
        context=_student_name(returned.placement),
    )


def concern_raised(concern: Concern, actor: User) -> None:
    """The student is told, and the tutor; when the tutor raised it, the educator instead."""
    placement = concern.placement
    link = concern.get_absolute_url()
    colleague = placement.educator if actor.pk == placement.tutor_id else placement.tutor
    # Concerns are the most sensitive news there is: not even the student's name goes by email.
    notify(user=colleague, event=Event.CONCERN_RAISED, link=link)
    notify(
        user=placement.student,
        event=Event.CONCERN_RAISED_FOR_STUDENT,
        link=link,
        context={"role": placement.framework.educator_title},
    )


# --- Reminders found by the daily run ---------------------------------------------------------


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind educators of action plans that reached their review date, and whoever confirms
    attendance of days left unconfirmed for two weeks. Each reminder goes once (per review date;
    per oldest unconfirmed day), however often this runs. Returns how many were recorded."""
    today = today or timezone.localdate()
    return _concerns_due(today) + _attendance_unconfirmed(today)


def _concerns_due(today: datetime.date) -> int:
    due = Concern.objects.filter(
        outcome__in=(Concern.Outcome.OPEN, Concern.Outcome.EXTENDED),
        review_date__lte=today,
        placement__status=Placement.Status.ACTIVE,
    ).select_related("placement__educator", "placement__student")
    sent = 0
    for concern in due:
        sent += bool(
            notify(
                user=concern.placement.educator,
                event=Event.CONCERN_DUE,
                link=concern.get_absolute_url(),
                once_key=f"concern:{concern.pk}:{concern.review_date.isoformat()}",
            )
        )
    return sent


def _attendance_unconfirmed(today: datetime.date) -> int:
    oldest = dict(
        AttendanceDay.objects.filter(
            confirmed_at__isnull=True,
            date__lte=today - ATTENDANCE_GRACE,
            placement__status=Placement.Status.ACTIVE,
        )
        .values_list("placement_id")
        .annotate(oldest=Min("date"))
        .order_by()
    )
    placements = Placement.objects.filter(pk__in=oldest).select_related(
        "student", "educator", "supervisor"
    )
    sent = 0
    for placement in placements:
        sent += bool(
            notify(
                user=placement.supervisor or placement.educator,
                event=Event.ATTENDANCE_UNCONFIRMED,
                link=reverse("portfolios:attendance", kwargs={"pk": placement.pk}),
                context=_student_name(placement),
                once_key=f"attendance:{placement.pk}:{oldest[placement.pk].isoformat()}",
            )
        )
    return sent
