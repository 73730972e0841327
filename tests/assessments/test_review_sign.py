"""The holistic checks before the educator signs, and what signing does: the review and the
evidence it cites are locked, and a final review moves the placement on."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import Review, SignedReport
from portfolios.models import Evidence, Placement, PlacementStatusChange
from tests.assessments import builders

Kind = Review.Kind
Rec = Review.Recommendation


def checks_for(review) -> services.SignChecks:
    return services.review_sign_checks(review=builders.fresh(review))


def outcome(cast, review, **kwargs):
    return services.review_outcome_save(actor=cast.educator, review=review, **kwargs)


def test_a_ready_review_has_no_problems_and_no_warnings(cast):
    checks = checks_for(builders.ready(cast.placement))
    assert (checks.problems, checks.warnings, checks.can_sign) == ([], [], True)


def test_every_ungraded_domain_is_named_and_blocks_signing(cast):
    review = builders.ready(cast.placement)
    for order in (2, 5):
        j = builders.judgement(review, order)
        services.judgement_save(actor=cast.educator, judgement=j, grade=None, narrative="")
    checks = checks_for(review)
    assert checks.problems == [
        "Every domain needs a grade before you sign. Not yet graded: Domain 2, Domain 5."
    ]
    assert not checks.can_sign
    with pytest.raises(ValidationError) as exc:
        services.review_sign(actor=cast.educator, review=review, confirm_warnings=True)
    assert "Not yet graded: Domain 2, Domain 5." in exc.value.messages[0]
    assert builders.fresh(review).status == "draft"


def test_a_pass_below_the_threshold_needs_the_holistic_reasons(cast):
    review = builders.ready(cast.placement)
    item = Evidence.objects.get()
    services.judgement_save(
        actor=cast.educator,
        judgement=builders.judgement(review, 4),
        grade=builders.grade(cast.placement, 2),
        narrative="Emerging.",
        evidence=[item],
    )
    checks = checks_for(review)
    assert len(checks.problems) == 1
    assert "below the pass threshold: Domain 4" in checks.problems[0]
    with pytest.raises(ValidationError):
        services.review_sign(actor=cast.educator, review=review)

    outcome(
        cast,
        review,
        recommendation=Rec.PASS,
        recommendation_justification="Holistically sound.",
        below_threshold_rationale="Strong elsewhere; domain 4 is improving fast.",
    )
    assert checks_for(review).can_sign
    services.review_sign(actor=cast.educator, review=review)
    assert builders.fresh(review).status == "signed"


def test_a_pass_at_or_above_the_threshold_needs_no_extra_reasons(cast):
    review = builders.ready(cast.placement)
    services.judgement_save(
        actor=cast.educator,
        judgement=builders.judgement(review, 4),
        grade=builders.grade(cast.placement, 4),
        narrative="Exceeds.",
        evidence=[Evidence.objects.get()],
    )
    assert checks_for(review).problems == []


@pytest.mark.parametrize("rec", [Rec.FAIL, Rec.DEFER])
def test_a_fail_or_defer_names_the_domains_it_rests_on(cast, rec):
    review = builders.ready(cast.placement)
    outcome(cast, review, recommendation=rec, recommendation_justification="Not yet.")
    problems = checks_for(review).problems
    assert problems == [f"Name the domains a {rec} recommendation rests on."]
    with pytest.raises(ValidationError):
        services.review_sign(actor=cast.educator, review=review, confirm_warnings=True)

    domain = cast.placement.framework.domains.get(order=3)
    outcome(
        cast,
        review,
        recommendation=rec,
        recommendation_justification="Not yet.",
        recommendation_domains=[domain],
    )
    services.review_sign(actor=cast.educator, review=review)
    assert builders.fresh(review).status == "signed"


def test_a_final_review_needs_a_recommendation_and_its_justification(cast):
    review = builders.ready(cast.placement)
    outcome(cast, review)
    assert checks_for(review).problems == ["Choose a recommendation: pass, fail or defer."]
    outcome(cast, review, recommendation=Rec.PASS)
    assert checks_for(review).problems == ["Please justify the recommendation."]


def test_a_midpoint_needs_on_track_or_concerns(cast):
    review = builders.ready(cast.placement, Kind.MIDPOINT)
    outcome(cast, review, midpoint_outcome="")
    assert checks_for(review).problems == [
        "Record whether the student is on track or there are concerns."
    ]


def test_a_judgement_citing_no_evidence_is_a_warning_the_educator_must_confirm(cast):
    review = builders.ready(cast.placement, cite=False)
    checks = checks_for(review)
    assert checks.problems == []
    assert checks.can_sign
    assert len(checks.warnings) == 1
    assert checks.warnings[0].startswith("These domains cite no evidence: Domain 1, Domain 2,")

    with pytest.raises(ValidationError) as exc:
        services.review_sign(actor=cast.educator, review=review)
    assert "confirm_warnings" in exc.value.message_dict
    assert builders.fresh(review).status == "draft"

    services.review_sign(actor=cast.educator, review=review, confirm_warnings=True)
    assert builders.fresh(review).status == "signed"


def test_signing_records_who_and_when_and_locks_the_review(cast):
    review = services.review_sign(actor=cast.educator, review=builders.ready(cast.placement))
    review = builders.fresh(review)
    assert review.status == Review.Status.SIGNED
    assert review.signed_by == cast.educator
    assert review.signed_at is not None
    assert review.locked_at == review.signed_at
    assert review.is_locked


def test_signing_locks_the_cited_evidence_and_only_that(cast):
    review = builders.ready(cast.placement)
    uncited = builders.evidence(cast.placement, title="Not cited")
    services.review_sign(actor=cast.educator, review=review)
    cited = Evidence.objects.exclude(pk=uncited.pk).get()
    assert cited.locked_at is not None
    uncited.refresh_from_db()
    assert uncited.locked_at is None


def test_signing_a_final_review_moves_the_placement_to_final_review_signed(cast):
    services.review_sign(actor=cast.educator, review=builders.ready(cast.placement))
    cast.placement.refresh_from_db()
    assert cast.placement.status == Placement.Status.FINAL_REVIEW_SIGNED
    change = PlacementStatusChange.objects.get(placement=cast.placement)
    assert (change.actor, change.to_status) == (cast.educator, "final_review_signed")
    assert SignedReport.objects.get().event == SignedReport.Event.SIGNED


def test_signing_the_midpoint_leaves_the_placement_active(cast):
    review = services.review_sign(
        actor=cast.educator, review=builders.ready(cast.placement, Kind.MIDPOINT)
    )
    assert builders.fresh(review).status == "signed"
    cast.placement.refresh_from_db()
    assert cast.placement.status == Placement.Status.ACTIVE
    assert not PlacementStatusChange.objects.exists()
    assert not SignedReport.objects.exists()


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor", "panel", "other_educator"])
def test_only_the_educator_signs(cast, who):
    review = builders.ready(cast.placement)
    with pytest.raises(PermissionDenied):
        services.review_sign(actor=getattr(cast, who), review=review, confirm_warnings=True)
    assert builders.fresh(review).status == "draft"
    assert Evidence.objects.get().locked_at is None


def test_a_signature_that_fails_part_way_leaves_nothing_behind(cast):
    review = builders.ready(cast.placement)
    # The placement is deferred after the review was written: the last step of signing, moving
    # the placement on, is refused, and the steps before it must be undone with it.
    Placement.objects.filter(pk=cast.placement.pk).update(status=Placement.Status.DEFERRED)
    with pytest.raises(ValidationError):
        services.review_sign(actor=cast.educator, review=review)
    review = builders.fresh(review)
    assert (review.status, review.signed_by, review.locked_at) == ("draft", None, None)
    assert Evidence.objects.get().locked_at is None
    assert not SignedReport.objects.exists()
