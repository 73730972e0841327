"""Reads for reviews and concerns, always scoped through the placements a user may see."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import User
from accounts.roles import Role
from assessments.models import (
    Concern,
    Judgement,
    JudgementEvidence,
    ModerationSampleItem,
    PanelMeeting,
    Review,
    SelfAssessment,
    SelfRating,
)
from portfolios.models import Grade, Placement, University
from portfolios.selectors import placements_visible_to, universities_overseen_by


def reviews_visible_to(*, user: User) -> QuerySet[Review]:
    """Reviews on placements the user may see. A draft is the educator's working copy: the
    student sees a review once it is signed."""
    visible = placements_visible_to(user=user).values("pk")
    return Review.objects.filter(placement__in=visible).exclude(
        Q(status=Review.Status.DRAFT) & Q(placement__student=user)
    )


def reviews_being_written_for(*, user: User, placement: Placement) -> list[Review]:
    """Drafts the user may not open (the student's view of the educator's working copy), so a
    page can say a review is being written instead of "No reviews yet"."""
    if placement.student_id != user.pk:
        return []
    return list(placement.reviews.filter(status=Review.Status.DRAFT).order_by("created_at"))


def review_for_page(*, user: User, pk) -> QuerySet[Review]:
    """The review a page shows, scoped to the user. The people on it are not joined here:
    pages pass the review to `with_people`, which loads them in one query. Seven joins to the
    user table made PostgreSQL spend 14-19 ms planning this query against 0.3 ms running it."""
    return (
        reviews_visible_to(user=user)
        .select_related(
            "placement__framework",
            "placement__grading_scale",
            "placement__programme__university",
            "previous",
        )
        .filter(pk=pk)
    )


PLACEMENT_PEOPLE = ("student", "educator", "supervisor", "tutor")
REVIEW_PEOPLE = ("signed_by", "countersigned_by", "panel_by")


def with_people(review: Review) -> Review:
    """Loads the placement's people and the review's signatories in one query, and caches
    each on its relation, as `select_related` would, without the joins."""
    placement = review.placement
    holders = [(placement, name) for name in PLACEMENT_PEOPLE]
    holders += [(review, name) for name in REVIEW_PEOPLE]
    fields = [(obj, obj._meta.get_field(name)) for obj, name in holders]
    wanted = [(obj, f) for obj, f in fields if not f.is_cached(obj) and getattr(obj, f.attname)]
    people = User.objects.in_bulk({getattr(obj, f.attname) for obj, f in wanted})
    for obj, f in wanted:
        f.set_cached_value(obj, people[getattr(obj, f.attname)])
    return review


def judgements_for_review(review: Review) -> QuerySet[Judgement]:
    return review.judgements.select_related("domain", "grade__scale").prefetch_related(
        Prefetch("citations", queryset=JudgementEvidence.objects.select_related("evidence"))
    )


def concerns_visible_to(*, user: User) -> QuerySet[Concern]:
    return Concern.objects.filter(placement__in=placements_visible_to(user=user).values("pk"))


def open_concerns(placements) -> QuerySet[Concern]:
    return Concern.objects.filter(
        placement__in=placements, outcome__in=[Concern.Outcome.OPEN, Concern.Outcome.EXTENDED]
    )


def placement_reviews(*, user: User, placement: Placement) -> QuerySet[Review]:
    return reviews_visible_to(user=user).filter(placement=placement).select_related("signed_by")


# --- The student's self-assessment ------------------------------------------------------------

# A self-rating this many steps or more from the educator's grade is a point to discuss.
GAP_TO_DISCUSS = 2


def self_ratings_for(placement: Placement, kind: str) -> dict[int, SelfRating]:
    """The student's rating of each domain before the review of this kind, keyed by domain id:
    only from a submitted self-assessment (a draft is the student's own) and only domains the
    student rated."""
    ratings = SelfRating.objects.filter(
        self_assessment__placement=placement,
        self_assessment__kind=kind,
        self_assessment__status=SelfAssessment.Status.SUBMITTED,
        grade__isnull=False,
    ).select_related("grade", "domain")
    return {r.domain_id: r for r in ratings}


def is_point_to_discuss(self_grade: Grade | None, grade: Grade | None) -> bool:
    """True when the student's own rating and the educator's grade are two or more steps apart
    on the scale."""
    if self_grade is None or grade is None:
        return False
    return abs(self_grade.value - grade.value) >= GAP_TO_DISCUSS


# --- The panel --------------------------------------------------------------------------------


def panel_universities(user: User) -> QuerySet[University]:
    """The universities whose panel this person sits on."""
    if user.is_superuser:
        return University.objects.all()
    if not user.has_role(Role.PANEL):
        return University.objects.none()
    return universities_overseen_by(user=user)


def panel_queue(*, user: User) -> QuerySet[Review]:
    """Countersigned final reports waiting for the panel at this panel member's universities,
    each marked if a meeting's sample holds it, in two queries however long the queue."""
    return (
        Review.objects.filter(
            placement__programme__university__in=panel_universities(user).values("pk"),
            kind=Review.Kind.FINAL,
            status=Review.Status.COUNTERSIGNED,
        )
        .select_related(
            "placement__student",
            "placement__programme__university",
            "placement__tutor",
            "countersigned_by",
        )
        .annotate(
            sampled=Exists(ModerationSampleItem.objects.filter(review=OuterRef("pk"), sampled=True))
        )
        .order_by("placement__programme__university__name", "countersigned_at", "pk")
    )


def panel_meetings_visible_to(*, user: User) -> QuerySet[PanelMeeting]:
    return PanelMeeting.objects.filter(
        university__in=panel_universities(user).values("pk")
    ).select_related("university")


def meetings_to_decide_at(*, user: User, review: Review) -> QuerySet[PanelMeeting]:
    """Meetings of the review's university that this panel member attended."""
    return PanelMeeting.objects.filter(
        university_id=review.placement.programme.university_id, members_present=user
    ).order_by("-date", "-created_at")


def meeting_decisions(meeting: PanelMeeting) -> QuerySet[Review]:
    """The reviews ratified or returned at this meeting, with what the page and CSV show."""
    return (
        meeting.decisions.select_related("placement__student", "placement__programme", "panel_by")
        .annotate(
            sampled=Exists(
                ModerationSampleItem.objects.filter(
                    review=OuterRef("pk"), sample__meeting=meeting, sampled=True
                )
            )
        )
        .order_by("panel_at", "pk")
    )
