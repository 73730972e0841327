"""The on-site supervisor's dashboard: per placement they support, only what they confirm
(attendance, observations they made) and what they may add (their word on a draft final
review), and the finished placements they can still read. Nothing of grading. Six queries
whatever the number of placements."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import Review
from portfolios.models import (
    AgreementSignature,
    AttendanceDay,
    DirectObservation,
    Evidence,
    LearningAgreement,
    ObservationFeedback,
    Placement,
)
from portfolios.selectors import placements_visible_to

# Placements whose supervisor still has something to confirm or add.
CURRENT = [Placement.Status.PLANNED, Placement.Status.ACTIVE, Placement.Status.DEFERRED]


@dataclass
class SupervisedPlacement:
    placement: Placement
    weeks_to_confirm: list[datetime.date] = field(default_factory=list)  # their Mondays
    days_to_confirm: int = 0
    observations: list[Evidence] = field(default_factory=list)
    agreement_to_sign: bool = False
    final_review: Review | None = None
    statement_url: str = ""

    @property
    def has_nothing_waiting(self) -> bool:
        return not (self.weeks_to_confirm or self.agreement_to_sign or self.final_review)


def statement_url(review: Review) -> str:
    """The page where the supervisor writes their statement for the final review."""
    return reverse("assessments:supervisor-statement", kwargs={"pk": review.pk})


def finished_placements(*, user: User) -> list[Placement]:
    """Placements this person supervised that have closed: they keep reading what they
    confirmed and signed. One query."""
    return list(
        placements_visible_to(user=user)
        .filter(supervisor=user)
        .exclude(status__in=CURRENT)
        .select_related("student")
        .order_by("-end_date", "pk")
    )


def supervised_placements(*, user: User, today: datetime.date | None = None):
    """The placements this person supports as on-site supervisor, each with what waits for
    them. Attendance counts once its week is over, as in the to-do list."""
    today = today or timezone.localdate()
    placements = list(
        placements_visible_to(user=user)
        .filter(supervisor=user, status__in=CURRENT)
        .select_related("student", "educator")
        .order_by("student__last_name", "start_date", "pk")
    )
    rows = {p.pk: SupervisedPlacement(placement=p) for p in placements}
    if not rows:
        return []
    _attach_attendance(rows, today)
    _attach_observations(rows)
    _attach_agreements(rows)
    _attach_final_reviews(rows)
    return list(rows.values())


def _attach_attendance(rows: dict, today: datetime.date) -> None:
    monday = today - datetime.timedelta(days=today.weekday())
    days = AttendanceDay.objects.filter(
        placement__in=list(rows), confirmed_at__isnull=True, date__lt=monday
    ).values_list("placement_id", "date")
    weeks = defaultdict(set)
    for placement_id, day in days:
        weeks[placement_id].add(day - datetime.timedelta(days=day.weekday()))
        rows[placement_id].days_to_confirm += 1
    for placement_id, mondays in weeks.items():
        rows[placement_id].weeks_to_confirm = sorted(mondays)


def _attach_observations(rows: dict) -> None:
    """Direct observations where the on-site supervisor was the observer, once the student
    has shared them (a draft is the student's alone)."""
    made = (
        Evidence.objects.filter(
            placement__in=list(rows),
            kind=Evidence.Kind.DIRECT_OBSERVATION,
            observation__observer=DirectObservation.Observer.SUPERVISOR,
        )
        .exclude(status=Evidence.Status.DRAFT)
        .annotate(
            has_feedback=Exists(
                ObservationFeedback.objects.filter(observation__evidence=OuterRef("pk"))
            )
        )
        .order_by("-practice_date", "title")
    )
    for evidence in made:
        rows[evidence.placement_id].observations.append(evidence)


def _attach_agreements(rows: dict) -> None:
    unsigned = (
        LearningAgreement.objects.filter(placement__in=list(rows))
        .exclude(status__in=[LearningAgreement.Status.SIGNED, LearningAgreement.Status.SUPERSEDED])
        .exclude(
            Exists(
                AgreementSignature.objects.filter(
                    agreement=OuterRef("pk"), role=AgreementSignature.Role.SUPERVISOR
                )
            )
        )
        .values_list("placement_id", flat=True)
    )
    for placement_id in unsigned:
        rows[placement_id].agreement_to_sign = True


def _attach_final_reviews(rows: dict) -> None:
    drafts = Review.objects.filter(
        placement__in=list(rows), kind=Review.Kind.FINAL, status=Review.Status.DRAFT
    )
    for review in drafts:
        row = rows[review.placement_id]
        row.final_review = review
        row.statement_url = statement_url(review)
