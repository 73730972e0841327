"""The student's self-assessment before a review: saving a draft, submitting it, and every
refusal, each of which changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments import selectors
from assessments.models import Review, SelfAssessment, SelfRating
from assessments.services.self_assessment import self_assessment_save, self_assessment_submit
from portfolios.models import Placement
from tests import factories
from tests.assessments import builders

MIDPOINT = Review.Kind.MIDPOINT
FINAL = Review.Kind.FINAL


def domains(placement):
    return list(placement.framework.domains.order_by("order"))


def every_domain(placement, value: int = 3, narrative: str = "I showed it on a home visit."):
    grade = builders.grade(placement, value)
    return dict.fromkeys(domains(placement), (grade, narrative))


def save(placement, ratings=None, *, actor=None, kind=MIDPOINT) -> SelfAssessment:
    return self_assessment_save(
        actor=actor or placement.student,
        placement=placement,
        kind=kind,
        ratings=every_domain(placement) if ratings is None else ratings,
    )


def submitted(placement, kind=MIDPOINT) -> SelfAssessment:
    return self_assessment_submit(
        actor=placement.student, self_assessment=save(placement, kind=kind)
    )


def mark_signed(review: Review) -> None:
    # The sign-off rules are tested elsewhere; here only "the review is signed" matters.
    now = timezone.now()
    Review.objects.filter(pk=review.pk).update(
        status=Review.Status.SIGNED, signed_at=now, locked_at=now
    )


def snapshot():
    return (
        list(SelfAssessment.objects.values_list("kind", "status", "submitted_at")),
        list(SelfRating.objects.values_list("domain_id", "grade_id", "narrative")),
    )


# --- Saving a draft ------------------------------------------------------------------------


def test_the_student_saves_a_draft_rating_for_each_domain(cast):
    record = save(cast.placement)

    assert record.status == SelfAssessment.Status.DRAFT
    assert record.ratings.count() == 9
    assert {r.grade.value for r in record.ratings.all()} == {3}


def test_saving_again_changes_the_draft_and_leaves_other_domains_as_they_were(cast):
    placement = cast.placement
    save(placement)
    first = domains(placement)[0]

    save(placement, {first: (builders.grade(placement, 1), "Changed my mind.")})

    rating = SelfRating.objects.get(domain=first)
    assert (rating.grade.value, rating.narrative) == (1, "Changed my mind.")
    assert SelfRating.objects.filter(grade__value=3).count() == 8


def test_a_draft_may_leave_domains_unrated(cast):
    first = domains(cast.placement)[0]

    record = save(cast.placement, {first: (None, "")})

    assert record.ratings.get().grade is None


def test_midpoint_and_final_self_assessments_are_separate(cast):
    save(cast.placement, kind=MIDPOINT)
    save(cast.placement, kind=FINAL)

    assert sorted(SelfAssessment.objects.values_list("kind", flat=True)) == ["final", "midpoint"]


def test_a_draft_may_be_saved_while_the_review_is_still_a_draft(cast):
    builders.start(cast.placement, MIDPOINT)

    assert save(cast.placement).ratings.count() == 9


# --- Refusals when saving ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["educator", "supervisor", "tutor", "coordinator", "other_student"])
def test_only_the_student_writes_it(cast, who):
    with pytest.raises(PermissionDenied, match="Only the student"):
        save(cast.placement, actor=getattr(cast, who))
    assert snapshot() == ([], [])


def test_it_is_refused_once_the_review_is_signed(cast):
    placement = cast.placement
    save(placement)
    before = snapshot()
    mark_signed(builders.start(placement, MIDPOINT))

    with pytest.raises(ValidationError, match="midpoint review has already been signed"):
        save(placement, every_domain(placement, value=1))
    assert snapshot() == before


def test_it_cannot_be_started_after_the_review_is_signed(cast):
    mark_signed(builders.start(cast.placement, MIDPOINT))

    with pytest.raises(ValidationError, match="already been signed"):
        save(cast.placement)
    assert snapshot() == ([], [])


def test_a_submitted_self_assessment_cannot_be_changed(cast):
    submitted(cast.placement)
    before = snapshot()

    with pytest.raises(ValidationError, match="already submitted"):
        save(cast.placement, every_domain(cast.placement, value=1))
    assert snapshot() == before


def test_it_is_refused_when_the_placement_is_not_active(db):
    placement = factories.PlacementFactory(status=Placement.Status.PLANNED)

    with pytest.raises(ValidationError, match="while the placement is active"):
        save(placement)
    assert snapshot() == ([], [])


def test_an_unknown_review_kind_is_refused(cast):
    with pytest.raises(ValidationError, match="midpoint or a final"):
        save(cast.placement, kind="annual")
    assert snapshot() == ([], [])


def test_a_grade_from_another_scale_is_refused_beside_its_domain(cast):
    placement = cast.placement
    first = domains(placement)[0]
    foreign = builders.grade(cast.other_placement, 2)
    if foreign.scale_id == placement.grading_scale_id:
        foreign = factories.GradingScaleFactory().grades.get(value=2)

    with pytest.raises(ValidationError) as error:
        save(placement, {first: (foreign, "Fine.")})
    assert error.value.message_dict == {
        f"grade_{first.pk}": ["That rating is not on this placement's grading scale."]
    }
    assert snapshot() == ([], [])


def test_a_domain_of_another_framework_is_refused(cast):
    foreign = factories.CapabilityFrameworkFactory().domains.first()

    with pytest.raises(ValidationError, match="of this placement's framework"):
        save(cast.placement, {foreign: (None, "Fine.")})
    assert snapshot() == ([], [])


def test_a_narrative_over_300_words_is_refused_with_its_length(cast):
    first = domains(cast.placement)[0]

    with pytest.raises(ValidationError) as error:
        save(cast.placement, {first: (None, "word " * 301)})
    assert error.value.message_dict[f"narrative_{first.pk}"] == [
        "Please keep this to 300 words or fewer; it has 301."
    ]
    assert snapshot() == ([], [])


# --- Submitting ------------------------------------------------------------------------------


def test_the_student_submits_when_every_domain_is_rated_with_a_narrative(cast):
    record = submitted(cast.placement)

    assert record.status == SelfAssessment.Status.SUBMITTED
    assert record.submitted_at is not None


def test_submitting_names_every_domain_still_to_do(cast):
    placement = cast.placement
    ratings = every_domain(placement)
    second, fifth = domains(placement)[1], domains(placement)[4]
    ratings[second] = (None, "Some words.")
    ratings[fifth] = (builders.grade(placement, 2), "  ")
    record = save(placement, ratings)
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        self_assessment_submit(actor=cast.student, self_assessment=record)
    messages = error.value.message_dict
    assert messages["__all__"] == [
        "Please give a rating and a few words for every domain before submitting. Still to do "
        f"(2 domains): 2. {second.name}; 5. {fifth.name}."
    ]
    assert messages[f"grade_{second.pk}"] == ["Choose a rating before submitting."]
    assert messages[f"narrative_{fifth.pk}"] == ["Write a few words on why, before submitting."]
    assert snapshot() == before


def test_submitting_twice_says_it_was_already_submitted(cast):
    record = submitted(cast.placement)
    before = snapshot()

    with pytest.raises(ValidationError, match="already submitted"):
        self_assessment_submit(actor=cast.student, self_assessment=record)
    assert snapshot() == before


def test_only_the_student_submits(cast):
    record = save(cast.placement)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        self_assessment_submit(actor=cast.educator, self_assessment=record)
    assert snapshot() == before


def test_submitting_after_the_review_is_signed_is_refused(cast):
    record = save(cast.placement)
    mark_signed(builders.start(cast.placement, MIDPOINT))
    before = snapshot()

    with pytest.raises(ValidationError, match="already been signed"):
        self_assessment_submit(actor=cast.student, self_assessment=record)
    assert snapshot() == before


# --- What the educator sees while grading ------------------------------------------------------


def test_the_educator_sees_only_a_submitted_self_assessment(cast):
    save(cast.placement)
    assert selectors.self_ratings_for(cast.placement, MIDPOINT) == {}

    self_assessment_submit(actor=cast.student, self_assessment=SelfAssessment.objects.get())

    ratings = selectors.self_ratings_for(cast.placement, MIDPOINT)
    assert set(ratings) == {d.pk for d in domains(cast.placement)}
    assert selectors.self_ratings_for(cast.placement, FINAL) == {}


@pytest.mark.parametrize(("mine", "theirs", "discuss"), [(1, 3, True), (4, 2, True), (2, 3, False)])
def test_two_or_more_steps_apart_is_a_point_to_discuss(cast, mine, theirs, discuss):
    placement = cast.placement
    assert (
        selectors.is_point_to_discuss(
            builders.grade(placement, mine), builders.grade(placement, theirs)
        )
        is discuss
    )
