"""The overall account; the recommendation on a final review; on track or concerns at the
midpoint. Saved freely while a draft; checked in full only when the educator signs."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import Review
from tests.assessments import builders

Kind = Review.Kind
Rec = Review.Recommendation


def test_a_final_review_records_the_recommendation_and_the_domains_it_rests_on(cast):
    review = builders.start(cast.placement, Kind.FINAL)
    domains = list(cast.placement.framework.domains.all())[:2]
    services.review_outcome_save(
        actor=cast.educator,
        review=review,
        summary="Thoughtful practice.",
        recommendation=Rec.DEFER,
        recommendation_justification="  Needs more time with families.  ",
        recommendation_domains=domains,
    )
    review = builders.fresh(review)
    assert review.summary == "Thoughtful practice."
    assert review.recommendation == Rec.DEFER
    assert review.recommendation_justification == "Needs more time with families."
    assert list(review.recommendation_domains.all()) == domains


def test_a_midpoint_records_on_track_or_concerns(cast):
    review = builders.start(cast.placement, Kind.MIDPOINT)
    services.review_outcome_save(
        actor=cast.educator, review=review, midpoint_outcome=Review.MidpointOutcome.CONCERNS
    )
    assert builders.fresh(review).midpoint_outcome == "concerns"


def test_a_midpoint_takes_no_recommendation(cast):
    review = builders.start(cast.placement, Kind.MIDPOINT)
    services.review_outcome_save(
        actor=cast.educator, review=review, midpoint_outcome="on_track", recommendation=Rec.PASS
    )
    assert builders.fresh(review).recommendation == ""


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [(Kind.FINAL, "recommendation", "maybe"), (Kind.MIDPOINT, "midpoint_outcome", "fine")],
)
def test_an_unknown_choice_is_refused(cast, kind, field, value):
    review = builders.start(cast.placement, kind)
    with pytest.raises(ValidationError) as exc:
        services.review_outcome_save(actor=cast.educator, review=review, **{field: value})
    assert field in exc.value.message_dict


def test_the_recommendation_cannot_rest_on_another_frameworks_domain(cast):
    review = builders.start(cast.placement)
    foreign = cast.other_placement.framework.domains.first()
    with pytest.raises(ValidationError) as exc:
        services.review_outcome_save(
            actor=cast.educator,
            review=review,
            recommendation=Rec.FAIL,
            recommendation_domains=[foreign],
        )
    assert "domains" in exc.value.message_dict
    review = builders.fresh(review)
    assert review.recommendation == ""
    assert not review.recommendation_domains.exists()


@pytest.mark.parametrize("who", ["student", "supervisor", "tutor", "panel"])
def test_only_the_educator_writes_the_recommendation(cast, who):
    review = builders.start(cast.placement)
    with pytest.raises(PermissionDenied):
        services.review_outcome_save(
            actor=getattr(cast, who), review=review, recommendation=Rec.PASS
        )
    assert builders.fresh(review).recommendation == ""
