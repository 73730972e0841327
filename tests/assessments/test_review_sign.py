"""What signing does: the review and the evidence it cites are locked, a final review moves the
placement on, and only the educator signs. The rules themselves are in test_sign_rules.py."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import Review, SignedReport
from portfolios.models import Evidence, Placement, PlacementStatusChange
from tests.assessments import builders

Kind = Review.Kind


def cited(review) -> Evidence:
    return Evidence.objects.get(
        citations__judgement__review=review, citations__judgement__domain__order=1
    )


def test_signing_records_who_and_when_and_locks_the_review(cast):
    review = services.review_sign(actor=cast.educator, review=builders.ready(cast.placement))
    review = builders.fresh(review)
    assert review.status == Review.Status.SIGNED
    assert review.signed_by == cast.educator
    assert review.signed_at is not None
    assert review.locked_at == review.signed_at
    assert review.is_locked


def test_signing_locks_the_cited_evidence_and_only_that(cast):
    review = builders.ready(cast.placement, Kind.MIDPOINT)
    uncited = builders.evidence(cast.placement, title="Not cited")
    services.review_sign(actor=cast.educator, review=review)
    assert cited(review).locked_at is not None
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


def test_the_student_acknowledges_the_midpoint_and_it_stays_with_the_placement(cast):
    review = builders.signed(cast.placement, Kind.MIDPOINT)
    services.review_acknowledge(actor=cast.student, review=review, comment="Agreed.")
    review = builders.fresh(review)
    assert (review.status, review.student_comment) == ("acknowledged", "Agreed.")
    cast.placement.refresh_from_db()
    assert cast.placement.status == Placement.Status.ACTIVE
    with pytest.raises(ValidationError):
        services.review_countersign(actor=cast.tutor, review=review, confirmed=True)
    assert builders.fresh(review).status == "acknowledged"


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor", "panel", "other_educator"])
def test_only_the_educator_signs(cast, who):
    review = builders.ready(cast.placement)
    with pytest.raises(PermissionDenied):
        services.review_sign(actor=getattr(cast, who), review=review)
    assert builders.fresh(review).status == "draft"
    assert cited(review).locked_at is None


def test_a_signature_that_fails_part_way_leaves_nothing_behind(cast):
    review = builders.ready(cast.placement)
    # The placement is deferred after the review was written: the last step of signing, moving
    # the placement on, is refused, and the steps before it must be undone with it.
    Placement.objects.filter(pk=cast.placement.pk).update(status=Placement.Status.DEFERRED)
    with pytest.raises(ValidationError):
        services.review_sign(actor=cast.educator, review=review)
    review = builders.fresh(review)
    assert (review.status, review.signed_by, review.locked_at) == ("draft", None, None)
    assert cited(review).locked_at is None
    assert not SignedReport.objects.exists()
