"""The sign-off chain of a final review: the educator signs, the student acknowledges (with an
optional comment), the tutor countersigns, the panel ratifies or returns it with a reason.
Each step checks the person and the state, records who and when, and happens once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import Review, SignedReport
from assessments.selectors import reviews_visible_to
from portfolios.models import Placement, PlacementStatusChange
from tests import factories
from tests.assessments import builders

Status = Review.Status
PS = Placement.Status


def finals():
    return Review.objects.filter(kind=Review.Kind.FINAL)


def placement_status(cast) -> str:
    cast.placement.refresh_from_db(fields=["status"])
    return cast.placement.status


def trail(cast) -> list[tuple[str, str]]:
    return list(
        PlacementStatusChange.objects.filter(placement=cast.placement)
        .order_by("created_at", "pk")
        .values_list("to_status", "actor__email")
    )


@pytest.fixture
def foreign_panel(cast):
    member = factories.PanelMemberFactory()
    cast.other_placement.programme.university.members.add(member)
    return member


# --- The student acknowledges -----------------------------------------------------------------


def test_the_student_acknowledges_with_a_comment(cast):
    review = services.review_acknowledge(
        actor=cast.student,
        review=builders.signed(cast.placement),
        comment="  I agree with most of it.  ",
    )
    review = builders.fresh(review)
    assert review.status == Status.ACKNOWLEDGED
    assert review.student_comment == "I agree with most of it."
    assert review.acknowledged_at is not None
    assert placement_status(cast) == PS.STUDENT_ACKNOWLEDGED
    assert trail(cast)[-1] == (PS.STUDENT_ACKNOWLEDGED, cast.student.email)
    assert SignedReport.objects.filter(review=review, event="acknowledged").count() == 1


def test_the_students_comment_is_optional(cast):
    review = services.review_acknowledge(actor=cast.student, review=builders.signed(cast.placement))
    assert builders.fresh(review).status == Status.ACKNOWLEDGED
    assert builders.fresh(review).student_comment == ""


@pytest.mark.parametrize("who", ["educator", "supervisor", "tutor", "panel", "other_student"])
def test_only_the_student_acknowledges(cast, who):
    review = builders.signed(cast.placement)
    with pytest.raises(PermissionDenied):
        services.review_acknowledge(actor=getattr(cast, who), review=review, comment="Seen.")
    assert builders.fresh(review).status == Status.SIGNED
    assert placement_status(cast) == PS.FINAL_REVIEW_SIGNED


def test_a_draft_cannot_be_acknowledged(cast):
    review = builders.ready(cast.placement)
    with pytest.raises(ValidationError) as exc:
        services.review_acknowledge(actor=cast.student, review=review)
    assert exc.value.messages == ["The review must be signed by the educator first."]
    assert builders.fresh(review).acknowledged_at is None


# --- The tutor countersigns -------------------------------------------------------------------


def test_the_tutor_countersigns_after_the_student(cast):
    review = services.review_countersign(
        actor=cast.tutor, review=builders.acknowledged(cast.placement), confirmed=True
    )
    review = builders.fresh(review)
    assert review.status == Status.COUNTERSIGNED
    assert review.countersigned_by == cast.tutor
    assert review.countersigned_at is not None
    assert placement_status(cast) == PS.COUNTERSIGNED
    assert trail(cast)[-1] == (PS.COUNTERSIGNED, cast.tutor.email)


@pytest.mark.parametrize(
    "who", ["student", "educator", "supervisor", "coordinator", "panel", "other_tutor"]
)
def test_only_the_placements_tutor_countersigns(cast, who):
    review = builders.acknowledged(cast.placement)
    with pytest.raises(PermissionDenied):
        services.review_countersign(actor=getattr(cast, who), review=review, confirmed=True)
    assert builders.fresh(review).countersigned_by is None
    assert placement_status(cast) == PS.STUDENT_ACKNOWLEDGED


def test_the_tutor_cannot_countersign_before_the_student_acknowledges(cast):
    review = builders.signed(cast.placement)
    with pytest.raises(ValidationError) as exc:
        services.review_countersign(actor=cast.tutor, review=review, confirmed=True)
    assert "The student must acknowledge" in exc.value.messages[0]
    assert builders.fresh(review).status == Status.SIGNED


def test_the_tutor_cannot_countersign_a_draft(cast):
    review = builders.ready(cast.placement)
    with pytest.raises(ValidationError):
        services.review_countersign(actor=cast.tutor, review=review, confirmed=True)
    assert builders.fresh(review).status == Status.DRAFT


# --- The panel ratifies -----------------------------------------------------------------------


def test_the_panel_of_the_placements_university_ratifies(cast):
    review = services.review_ratify(
        actor=cast.panel,
        review=builders.countersigned(cast.placement),
        meeting=builders.meeting(cast.placement),
    )
    review = builders.fresh(review)
    assert review.status == Status.RATIFIED
    assert review.panel_by == cast.panel
    assert review.panel_at is not None
    assert placement_status(cast) == PS.RATIFIED
    assert trail(cast)[-1] == (PS.RATIFIED, cast.panel.email)
    assert SignedReport.objects.latest().event == SignedReport.Event.RATIFIED


def test_another_universitys_panel_cannot_ratify(cast, foreign_panel):
    review = builders.countersigned(cast.placement)
    with pytest.raises(PermissionDenied):
        services.review_ratify(actor=foreign_panel, review=review, meeting=None)
    assert builders.fresh(review).status == Status.COUNTERSIGNED
    assert placement_status(cast) == PS.COUNTERSIGNED


@pytest.mark.parametrize("who", ["coordinator", "tutor", "educator", "student"])
def test_only_the_panel_ratifies(cast, who):
    review = builders.countersigned(cast.placement)
    with pytest.raises(PermissionDenied):
        services.review_ratify(
            actor=getattr(cast, who), review=review, meeting=builders.meeting(cast.placement)
        )
    assert builders.fresh(review).panel_by is None


@pytest.mark.parametrize("stage", ["ready", "signed", "acknowledged"])
def test_the_panel_reads_only_a_countersigned_review(cast, stage):
    review = getattr(builders, stage)(cast.placement)
    with pytest.raises(ValidationError):
        services.review_ratify(actor=cast.panel, review=review, meeting=None)
    with pytest.raises(ValidationError):
        services.review_return(
            actor=cast.panel, review=review, meeting=None, reason="More evidence."
        )
    assert builders.fresh(review).panel_by is None
    assert finals().count() == 1


# --- The panel returns it ---------------------------------------------------------------------


EXCELLENT = builders.narrative("Excellent")


@pytest.fixture
def returned(cast):
    """A countersigned final review with strengths, suitability and a fail on two domains,
    returned by the panel; gives (old version, new version)."""
    review = builders.ready(cast.placement)
    domains = list(cast.placement.framework.domains.all())
    second = builders.evidence(cast.placement, title="Second item")
    first = review.judgements.get(domain__order=1).citations.get().evidence
    services.judgement_save(
        actor=cast.educator,
        judgement=builders.judgement(review, 1),
        grade=builders.grade(cast.placement, 4),
        narrative=EXCELLENT,
        evidence=[second, first],
    )
    services.strength_add(
        actor=cast.educator, review=review, text="Writes well.", domains=domains[:2]
    )
    area = factories.PracticeAreaFactory(code="adults", name="Adults")
    services.suitability_save(
        actor=cast.educator,
        review=review,
        practice_area=area,
        rating="with_support",
        rationale="Growing.",
    )
    services.review_outcome_save(
        actor=cast.educator,
        review=review,
        summary="Account.",
        recommendation="fail",
        recommendation_justification="Not safe yet.",
        recommendation_domains=domains[2:4],
        no_concern_reason="It came to light in the last week.",
    )
    services.review_sign(actor=cast.educator, review=review)
    services.review_acknowledge(actor=cast.student, review=review)
    services.review_countersign(actor=cast.tutor, review=review, confirmed=True)
    new = services.review_return(
        actor=cast.panel,
        review=review,
        meeting=builders.meeting(cast.placement),
        reason="  More on domain 3.  ",
    )
    return builders.fresh(review), builders.fresh(new)


def test_returning_keeps_the_returned_version_intact(cast, returned):
    old, _new = returned
    assert old.status == Status.RETURNED
    assert old.return_reason == "More on domain 3."
    assert old.panel_by == cast.panel
    assert old.signed_by == cast.educator
    assert old.countersigned_by == cast.tutor
    assert old.locked_at is not None
    assert old.recommendation == "fail"
    first = old.judgements.get(domain__order=1)
    assert (first.grade.value, first.narrative) == (4, EXCELLENT)
    assert [c.evidence.title for c in first.citations.all()] == [
        "Second item",
        "Reflection on a home visit",
    ]
    assert old.strengths.count() == 2
    assert old.suitability.count() == 1


def test_returning_opens_a_new_draft_version_copying_everything(cast, returned):
    old, new = returned
    assert (new.version, new.status, new.kind) == (2, Status.DRAFT, Review.Kind.FINAL)
    assert new.previous == old
    assert "More on domain 3." in new.amendment_reason
    assert new.signed_by is None
    assert new.locked_at is None
    assert (
        new.summary,
        new.recommendation,
        new.recommendation_justification,
        new.no_concern_reason,
    ) == ("Account.", "fail", "Not safe yet.", "It came to light in the last week.")
    assert list(new.recommendation_domains.values_list("order", flat=True)) == [3, 4]

    def judgements(review):
        return [
            (j.domain_id, j.grade_id, j.narrative, [c.evidence_id for c in j.citations.all()])
            for j in review.judgements.all()
        ]

    assert judgements(new) == judgements(old)
    assert not set(new.judgements.values_list("pk", flat=True)) & set(
        old.judgements.values_list("pk", flat=True)
    )
    assert new.strengths.count() == 2
    strength = new.strengths.get(text="Writes well.")
    assert list(strength.domains.values_list("order", flat=True)) == [1, 2]
    suitability = new.suitability.get()
    assert (suitability.practice_area.code, suitability.rating, suitability.rationale) == (
        "adults",
        "with_support",
        "Growing.",
    )


def test_returning_puts_the_placement_back_to_active_with_the_reason(cast, returned):
    assert placement_status(cast) == PS.ACTIVE
    change = PlacementStatusChange.objects.filter(placement=cast.placement).latest("created_at")
    assert (change.to_status, change.actor, change.reason) == (
        PS.ACTIVE,
        cast.panel,
        "More on domain 3.",
    )


def test_the_new_version_can_be_signed_again(cast, returned):
    _old, new = returned
    services.review_sign(actor=cast.educator, review=new)
    assert builders.fresh(new).status == Status.SIGNED
    assert placement_status(cast) == PS.FINAL_REVIEW_SIGNED


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_returning_needs_a_reason(cast, reason):
    review = builders.countersigned(cast.placement)
    with pytest.raises(ValidationError) as exc:
        services.review_return(
            actor=cast.panel, review=review, meeting=builders.meeting(cast.placement), reason=reason
        )
    assert "reason" in exc.value.message_dict
    assert builders.fresh(review).status == Status.COUNTERSIGNED
    assert placement_status(cast) == PS.COUNTERSIGNED
    assert finals().count() == 1


def test_another_universitys_panel_cannot_return(cast, foreign_panel):
    review = builders.countersigned(cast.placement)
    with pytest.raises(PermissionDenied):
        services.review_return(actor=foreign_panel, review=review, meeting=None, reason="More.")
    assert builders.fresh(review).status == Status.COUNTERSIGNED
    assert finals().count() == 1


# --- The educator amends ----------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["signed", "acknowledged"])
def test_the_educator_amends_a_signed_review_as_a_new_version(cast, stage):
    old = getattr(builders, stage)(cast.placement)
    new = services.review_amend(actor=cast.educator, review=old, reason="  Wrong grade in 2.  ")
    old, new = builders.fresh(old), builders.fresh(new)
    assert old.status == Status.SUPERSEDED
    assert old.signed_by == cast.educator
    assert old.locked_at is not None
    assert old.judgements.exclude(grade=None).count() == old.judgements.count()
    assert (new.version, new.status, new.previous) == (2, Status.DRAFT, old)
    assert new.amendment_reason == "Wrong grade in 2."
    assert new.judgements.count() == old.judgements.count()
    assert placement_status(cast) == PS.ACTIVE
    change = PlacementStatusChange.objects.filter(placement=cast.placement).latest("created_at")
    assert (change.actor, change.reason) == (cast.educator, "Wrong grade in 2.")


def test_amending_the_midpoint_leaves_the_placement_as_it_was(cast):
    old = builders.signed(cast.placement, Review.Kind.MIDPOINT)
    new = services.review_amend(actor=cast.educator, review=old, reason="Typo.")
    assert builders.fresh(old).status == Status.SUPERSEDED
    assert builders.fresh(new).status == Status.DRAFT
    assert placement_status(cast) == PS.ACTIVE
    assert not PlacementStatusChange.objects.exists()


def test_both_versions_stay_visible_and_the_student_sees_the_signed_one(cast):
    old = builders.signed(cast.placement)
    midpoint = cast.placement.reviews.get(kind=Review.Kind.MIDPOINT)
    new = services.review_amend(actor=cast.educator, review=old, reason="Typo.")
    assert set(reviews_visible_to(user=cast.educator)) == {midpoint, old, new}
    assert set(reviews_visible_to(user=cast.tutor)) == {midpoint, old, new}
    assert set(reviews_visible_to(user=cast.student)) == {midpoint, old}


@pytest.mark.parametrize("reason", ["", "  "])
def test_an_amendment_needs_a_reason(cast, reason):
    review = builders.signed(cast.placement)
    with pytest.raises(ValidationError) as exc:
        services.review_amend(actor=cast.educator, review=review, reason=reason)
    assert "reason" in exc.value.message_dict
    assert builders.fresh(review).status == Status.SIGNED
    assert finals().count() == 1


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor", "panel", "other_educator"])
def test_only_the_educator_amends(cast, who):
    review = builders.signed(cast.placement)
    with pytest.raises(PermissionDenied):
        services.review_amend(actor=getattr(cast, who), review=review, reason="Typo.")
    assert builders.fresh(review).status == Status.SIGNED
    assert finals().count() == 1


def test_a_draft_is_edited_not_amended(cast):
    review = builders.ready(cast.placement)
    with pytest.raises(ValidationError):
        services.review_amend(actor=cast.educator, review=review, reason="Typo.")
    assert finals().count() == 1


def test_a_countersigned_review_is_reopened_only_by_the_panel(cast):
    review = builders.countersigned(cast.placement)
    with pytest.raises(ValidationError) as exc:
        services.review_amend(actor=cast.educator, review=review, reason="Typo.")
    assert "panel" in exc.value.messages[0]
    assert builders.fresh(review).status == Status.COUNTERSIGNED
    assert finals().count() == 1


# --- Each step happens once -------------------------------------------------------------------


def _records(cast):
    return (
        list(Review.objects.order_by("kind", "version").values()),
        trail(cast),
        SignedReport.objects.count(),
    )


STEPS = {
    "sign": (
        builders.ready,
        lambda cast, r: services.review_sign(actor=cast.educator, review=r),
    ),
    "acknowledge": (
        builders.signed,
        lambda cast, r: services.review_acknowledge(actor=cast.student, review=r, comment="x"),
    ),
    "countersign": (
        builders.acknowledged,
        lambda cast, r: services.review_countersign(actor=cast.tutor, review=r, confirmed=True),
    ),
    "ratify": (
        builders.countersigned,
        lambda cast, r: services.review_ratify(
            actor=cast.panel, review=r, meeting=builders.meeting(cast.placement)
        ),
    ),
    "return": (
        builders.countersigned,
        lambda cast, r: services.review_return(
            actor=cast.panel, review=r, meeting=builders.meeting(cast.placement), reason="More."
        ),
    ),
    "amend": (
        builders.signed,
        lambda cast, r: services.review_amend(actor=cast.educator, review=r, reason="Typo."),
    ),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_second_submission_of_a_step_is_refused_and_records_nothing(cast, step):
    before, take = STEPS[step]
    review = before(cast.placement)
    take(cast, review)
    after_first = _records(cast)
    with pytest.raises(ValidationError):
        take(cast, review)
    assert _records(cast) == after_first


@pytest.mark.parametrize("step", ["sign", "acknowledge", "countersign", "ratify", "return"])
def test_a_second_submission_says_it_was_already_done(cast, step):
    before, take = STEPS[step]
    review = before(cast.placement)
    take(cast, review)
    with pytest.raises(ValidationError) as exc:
        take(cast, review)
    assert "already" in exc.value.messages[0]


def test_a_second_amendment_says_the_version_was_already_replaced(cast):
    review = builders.signed(cast.placement)
    services.review_amend(actor=cast.educator, review=review, reason="Typo.")
    with pytest.raises(ValidationError) as exc:
        services.review_amend(actor=cast.educator, review=review, reason="Typo.")
    assert "already" in exc.value.messages[0]
    assert "countersigned" not in exc.value.messages[0]


def test_the_ratified_review_can_be_neither_returned_nor_amended(cast):
    review = builders.countersigned(cast.placement)
    meeting = builders.meeting(cast.placement)
    services.review_ratify(actor=cast.panel, review=review, meeting=meeting)
    with pytest.raises(ValidationError):
        services.review_return(
            actor=cast.panel, review=review, meeting=meeting, reason="Late thought."
        )
    with pytest.raises(ValidationError):
        services.review_amend(actor=cast.educator, review=review, reason="Late thought.")
    assert builders.fresh(review).status == Status.RATIFIED
    assert finals().count() == 1
