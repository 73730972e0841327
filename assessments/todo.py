"""What needs you: each person's to-do list, derived from the data every time (never stored),
so it cannot drift from what is true. One query per kind of item, whatever the data's size.

Lives in assessments because it reads reviews, self-assessments and concerns as well as
evidence and attendance; the dashboards (portfolios) show it through a template tag.
"""

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import Concern, Review, SelfAssessment
from assessments.rules import CITABLE
from portfolios.models import (
    AgreementSignature,
    AttendanceDay,
    Evidence,
    LearningAgreement,
    ObservationFeedback,
    Placement,
)
from portfolios.selectors import universities_overseen_by

# A final review is overdue this long after the placement's end date.
FINAL_GRACE = datetime.timedelta(days=14)
# A review shows as due this long before its date.
DUE_SOON = datetime.timedelta(days=14)
# The student is reminded when nothing has been recorded for this long.
ATTENDANCE_QUIET = datetime.timedelta(days=7)

Status = Review.Status
SIGNED_OR_LATER = [
    Status.SIGNED,
    Status.ACKNOWLEDGED,
    Status.COUNTERSIGNED,
    Status.RATIFIED,
]


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    overdue: bool = False


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _where(row: dict) -> str:
    return f"{row['student']} at {row['setting']}"


def _active(qs: QuerySet, prefix: str = "placement__") -> QuerySet:
    return qs.filter(**{f"{prefix}status": Placement.Status.ACTIVE})


PLACEMENT_FIELDS = {
    "setting": F("placement__setting_name"),
    "first": F("placement__student__first_name"),
    "last": F("placement__student__last_name"),
}


def _per_placement(qs: QuerySet) -> list[dict]:
    rows = list(
        qs.values("placement_id")
        .annotate(n=Count("pk", distinct=True), **PLACEMENT_FIELDS)
        .order_by("placement__student__last_name", "placement_id")
    )
    for row in rows:
        row["student"] = f"{row['first']} {row['last']}".strip()
    return rows


# --- The student --------------------------------------------------------------------------------


def _student(user: User, today: datetime.date) -> list[Todo]:
    todos = []
    sent_back = Evidence.objects.filter(
        placement__student=user, status=Evidence.Status.REVISION_REQUESTED
    )
    for row in _per_placement(_active(sent_back)):
        todos.append(
            Todo(
                f"Revise {_plural(row['n'], 'evidence item')} sent back to you ({row['setting']}).",
                reverse("portfolios:evidence-list", kwargs={"pk": row["placement_id"]}),
            )
        )
    to_acknowledge = Review.objects.filter(
        placement__student=user, status=Status.SIGNED
    ).select_related("placement")
    for review in to_acknowledge:
        todos.append(
            Todo(
                f"Read and acknowledge your {review.get_kind_display().lower()} "
                f"({review.placement.setting_name}).",
                reverse("assessments:review-acknowledge", kwargs={"pk": review.pk}),
            )
        )
    signed = Review.objects.filter(placement=OuterRef("pk"), status__in=SIGNED_OR_LATER)
    submitted = SelfAssessment.objects.filter(
        placement=OuterRef("pk"), status=SelfAssessment.Status.SUBMITTED
    )
    placements = Placement.objects.filter(student=user, status=Placement.Status.ACTIVE).annotate(
        midpoint_signed=Exists(signed.filter(kind=Review.Kind.MIDPOINT)),
        final_signed=Exists(signed.filter(kind=Review.Kind.FINAL)),
        midpoint_self=Exists(submitted.filter(kind=Review.Kind.MIDPOINT)),
        final_self=Exists(submitted.filter(kind=Review.Kind.FINAL)),
        last_day=Max("attendance__date"),
    )
    for p in placements:
        kind = None
        if not p.midpoint_signed and not p.midpoint_self:
            kind = Review.Kind.MIDPOINT
        elif p.midpoint_signed and not p.final_signed and not p.final_self:
            kind = Review.Kind.FINAL
        if kind:
            todos.append(
                Todo(
                    f"Assess yourself before the {Review.Kind(kind).label.lower()} "
                    f"({p.setting_name}).",
                    reverse("assessments:self-assessment", kwargs={"pk": p.pk, "kind": kind}),
                )
            )
        quiet = p.last_day is None or p.last_day < today - ATTENDANCE_QUIET
        if p.start_date <= today and quiet:
            since = f" since {p.last_day:%-d %B}" if p.last_day else " yet"
            todos.append(
                Todo(
                    f"Record your attendance: nothing recorded{since} ({p.setting_name}).",
                    reverse("portfolios:attendance", kwargs={"pk": p.pk}),
                )
            )
    todos += _agreements_to_sign(user, STUDENT_PART)
    return todos


# --- The practice educator and the on-site supervisor -------------------------------------------


def _educator(user: User, today: datetime.date) -> list[Todo]:
    todos = []
    waiting = Evidence.objects.filter(
        placement__educator=user,
        status__in=[Evidence.Status.SUBMITTED, Evidence.Status.RESUBMITTED],
    ).exclude(created_by=user)  # her own supervision records are the student's to confirm
    for row in _per_placement(_active(waiting)):
        todos.append(
            Todo(
                f"Accept or send back {_plural(row['n'], 'evidence item')} from {_where(row)}.",
                reverse("portfolios:evidence-list", kwargs={"pk": row["placement_id"]}),
            )
        )
    no_feedback = Evidence.objects.filter(
        placement__educator=user,
        kind=Evidence.Kind.DIRECT_OBSERVATION,
        status__in=CITABLE,
        observation__observer="educator",
    ).exclude(Exists(ObservationFeedback.objects.filter(observation__evidence=OuterRef("pk"))))
    for row in _per_placement(_active(no_feedback)):
        todos.append(
            Todo(
                f"Write feedback on {_plural(row['n'], 'direct observation')} of {_where(row)}.",
                reverse("portfolios:evidence-list", kwargs={"pk": row["placement_id"]})
                + "?kind=direct_observation",
            )
        )
    # Educators are often the on-site supervisor of other placements: one query for both.
    todos += _attendance_to_confirm(
        Q(placement__educator=user) | Q(placement__supervisor=user), today
    )
    todos += _reviews_due(user, today)
    overdue_concerns = Concern.objects.filter(
        placement__educator=user,
        outcome__in=[Concern.Outcome.OPEN, Concern.Outcome.EXTENDED],
        review_date__lt=today,
    ).select_related("placement__student")
    for concern in _active(overdue_concerns):
        todos.append(
            Todo(
                f"Review the action plan for {concern.placement.student.display_name}: it was "
                f"due on {concern.review_date:%-d %B}.",
                concern.get_absolute_url(),
                overdue=True,
            )
        )
    todos += _agreements_to_sign(user, EDUCATOR_PART, SUPERVISOR_PART)
    return todos


def _supervisor(user: User, today: datetime.date) -> list[Todo]:
    todos = _attendance_to_confirm(Q(placement__supervisor=user), today)
    return todos + _agreements_to_sign(user, SUPERVISOR_PART)


def _attendance_to_confirm(whose: Q, today: datetime.date) -> list[Todo]:
    """Days recorded in weeks already over and not yet confirmed."""
    monday = today - datetime.timedelta(days=today.weekday())
    days = AttendanceDay.objects.filter(whose, confirmed_at__isnull=True, date__lt=monday)
    todos = []
    for row in _per_placement(_active(days)):
        todos.append(
            Todo(
                f"Confirm {_plural(row['n'], 'day')} of attendance for {_where(row)}.",
                reverse("portfolios:attendance", kwargs={"pk": row["placement_id"]}),
            )
        )
    return todos


def _reviews_due(user: User, today: datetime.date) -> list[Todo]:
    """A midpoint is due by the placement's halfway date; a final review by its end date, and
    overdue 14 days after it."""
    signed = Review.objects.filter(placement=OuterRef("pk"), status__in=SIGNED_OR_LATER)
    placements = (
        Placement.objects.filter(educator=user, status=Placement.Status.ACTIVE)
        .annotate(
            midpoint_signed=Exists(signed.filter(kind=Review.Kind.MIDPOINT)),
            final_signed=Exists(signed.filter(kind=Review.Kind.FINAL)),
        )
        .select_related("student")
    )
    todos = []
    for p in placements:
        halfway = p.start_date + (p.end_date - p.start_date) / 2
        url = reverse("assessments:placement-reviews", kwargs={"pk": p.pk})
        name = p.student.display_name
        if not p.midpoint_signed and today >= halfway - DUE_SOON:
            late = today > halfway
            todos.append(
                Todo(
                    f"{name}'s midpoint review {'was' if late else 'is'} due on {halfway:%-d %B}.",
                    url,
                    overdue=late,
                )
            )
        elif p.midpoint_signed and not p.final_signed and today >= p.end_date - DUE_SOON:
            late = today > p.end_date + FINAL_GRACE
            when = "is overdue: the placement ended on" if late else "is due: the placement ends on"
            todos.append(Todo(f"{name}'s final review {when} {p.end_date:%-d %B}.", url, late))
    return todos


# --- Tutor and panel ----------------------------------------------------------------------------


def _tutor(user: User, today: datetime.date) -> list[Todo]:
    todos = []
    to_countersign = Review.objects.filter(
        placement__tutor=user, kind=Review.Kind.FINAL, status=Status.ACKNOWLEDGED
    ).select_related("placement__student")
    for review in to_countersign:
        todos.append(
            Todo(
                f"Countersign {review.placement.student.display_name}'s final review.",
                reverse("assessments:review-countersign", kwargs={"pk": review.pk}),
            )
        )
    escalated = _active(
        Concern.objects.filter(placement__tutor=user, outcome=Concern.Outcome.ESCALATED)
    ).select_related("placement__student")
    for concern in escalated:
        todos.append(
            Todo(
                f"A concern about {concern.placement.student.display_name} was escalated to you.",
                concern.get_absolute_url(),
                overdue=True,
            )
        )
    return todos + _agreements_to_sign(user, TUTOR_PART)


def _panel(user: User, today: datetime.date) -> list[Todo]:
    waiting = Review.objects.filter(
        placement__programme__university__in=universities_overseen_by(user=user),
        kind=Review.Kind.FINAL,
        status=Status.COUNTERSIGNED,
    ).count()
    if not waiting:
        return []
    return [
        Todo(
            f"{_plural(waiting, 'final report')} waiting for the panel: read the sample, "
            "then ratify or return.",
            reverse("assessments:panel-queue"),
        )
    ]


def _coordinator(user: User, today: datetime.date) -> list[Todo]:
    """What is late across the universities this person coordinates, to chase: counted in the
    database, one row whatever the cohort's size."""
    signed = Review.objects.filter(placement=OuterRef("pk"), status__in=SIGNED_OR_LATER)
    on = Value(today, output_field=DateField())
    # Past the midpoint: more days gone than left (the halfway date, to the day, as in
    # _reviews_due, is start + (end - start) / 2).
    gone = ExpressionWrapper(on - F("start_date"), output_field=DurationField())
    left = ExpressionWrapper(F("end_date") - on, output_field=DurationField())
    late = Placement.objects.filter(
        programme__university__in=universities_overseen_by(user=user),
        status=Placement.Status.ACTIVE,
    ).aggregate(
        midpoints=Count(
            "pk",
            filter=Q(GreaterThan(gone, left))
            & ~Q(Exists(signed.filter(kind=Review.Kind.MIDPOINT))),
        ),
        finals=Count("pk", filter=Q(end_date__lt=today - FINAL_GRACE)),
        stale=Count(
            "pk",
            filter=Q(
                Exists(
                    AttendanceDay.objects.filter(
                        placement=OuterRef("pk"),
                        confirmed_at__isnull=True,
                        date__lt=today - datetime.timedelta(days=14),
                    )
                )
            ),
        ),
    )
    midpoints, finals, stale = late["midpoints"], late["finals"], late["stale"]
    url = reverse("portfolios:dashboard-cohort") + "?status=active"
    todos = []
    if midpoints:
        todos.append(Todo(f"{_plural(midpoints, 'midpoint review')} overdue.", url, True))
    if finals:
        todos.append(Todo(f"{_plural(finals, 'final review')} overdue.", url, True))
    if stale:
        todos.append(
            Todo(
                f"{_plural(stale, 'placement')} with attendance unconfirmed for over two weeks.",
                url,
            )
        )
    return todos


# A person's part in a learning agreement: the signature's role and the placement's field.
STUDENT_PART = (AgreementSignature.Role.STUDENT, "student")
EDUCATOR_PART = (AgreementSignature.Role.EDUCATOR, "educator")
SUPERVISOR_PART = (AgreementSignature.Role.SUPERVISOR, "supervisor")
TUTOR_PART = (AgreementSignature.Role.TUTOR, "tutor")


def _agreements_to_sign(user: User, *parts: tuple[str, str]) -> list[Todo]:
    """Current learning agreements of active placements where a part this person plays is
    unsigned (one query for all their parts), and, for the educator, placements with none."""
    todos = []
    signed = AgreementSignature.objects.filter(agreement=OuterRef("pk"))
    unsigned = (
        LearningAgreement.objects.filter(
            reduce(operator.or_, (Q(**{f"placement__{field}": user}) for _, field in parts))
        )
        .exclude(status__in=[LearningAgreement.Status.SIGNED, LearningAgreement.Status.SUPERSEDED])
        .annotate(**{f"signed_{role}": Exists(signed.filter(role=role)) for role, _ in parts})
        .select_related("placement__student")
    )
    for agreement in _active(unsigned):
        placement = agreement.placement
        if any(
            getattr(placement, f"{field}_id") == user.pk
            and not getattr(agreement, f"signed_{role}")
            for role, field in parts
        ):
            todos.append(
                Todo(
                    f"Sign the learning agreement for {placement.student.display_name}'s "
                    "placement.",
                    reverse("portfolios:agreement-detail", kwargs={"pk": agreement.placement_id}),
                )
            )
    if EDUCATOR_PART in parts:
        missing = Placement.objects.filter(
            educator=user, status=Placement.Status.ACTIVE, agreements__isnull=True
        ).select_related("student")
        for placement in missing:
            todos.append(
                Todo(
                    f"Draft the learning agreement with {placement.student.display_name}.",
                    reverse("portfolios:agreement-detail", kwargs={"pk": placement.pk}),
                )
            )
    return todos


def todos_for(*, user: User) -> list[Todo]:
    """Everything that needs this person now, overdue first."""
    from accounts.roles import Role

    today = timezone.localdate()
    todos: list[Todo] = []
    if user.has_role(Role.STUDENT):
        todos += _student(user, today)
    if user.has_role(Role.EDUCATOR):
        todos += _educator(user, today)  # with what they supervise on site
    elif user.has_role(Role.SUPERVISOR):
        todos += _supervisor(user, today)
    if user.has_role(Role.TUTOR):
        todos += _tutor(user, today)
    if user.has_role(Role.COORDINATOR):
        todos += _coordinator(user, today)
    if user.has_role(Role.PANEL):
        todos += _panel(user, today)
    return sorted(todos, key=lambda t: not t.overdue)
