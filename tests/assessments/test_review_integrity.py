"""What a signed final review rests on stays as it was: its framework, its midpoint, the
portfolio's evidence, and the state of the evidence it cites."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import Review
from portfolios import services as portfolio_services
from portfolios.models import Evidence, Placement
from portfolios.services.evidence import MappingInput
from tests import factories
from tests.assessments import builders


def test_the_framework_and_scale_cannot_change_once_a_review_has_begun(cast):
    builders.start(cast.placement, Review.Kind.MIDPOINT)
    placement = cast.placement
    with pytest.raises(ValidationError) as exc:
        portfolio_services.placement_update(
            actor=cast.coordinator,
            placement=placement,
            educator=placement.educator,
            supervisor=placement.supervisor,
            tutor=placement.tutor,
            setting_name=placement.setting_name,
            start_date=placement.start_date,
            end_date=placement.end_date,
            required_days=placement.required_days,
            grading_scale=factories.GradingScaleFactory(),
        )
    assert "grading_scale" in exc.value.message_dict


def test_the_midpoint_cannot_be_amended_after_the_final_review_is_signed(cast):
    builders.signed(cast.placement, Review.Kind.FINAL)
    midpoint = cast.placement.reviews.get(kind=Review.Kind.MIDPOINT)
    with pytest.raises(ValidationError, match="while the placement is active"):
        services.review_amend(actor=cast.educator, review=midpoint, reason="A late change.")
    assert builders.fresh(midpoint).status == Review.Status.ACKNOWLEDGED


@pytest.mark.parametrize("status", [Placement.Status.TERMINATED, Placement.Status.RATIFIED])
def test_a_closed_placement_takes_no_new_evidence_or_feedback(client, cast, status):
    _, token = portfolio_services.feedback_request_create(
        actor=cast.student, placement=cast.placement, work_description="our visit"
    )
    Placement.objects.filter(pk=cast.placement.pk).update(status=status)
    cast.placement.refresh_from_db()
    with pytest.raises(ValidationError, match="takes no new evidence"):
        builders.evidence(cast.placement)
    with pytest.raises(ValidationError, match="takes no new evidence"):
        portfolio_services.feedback_request_create(
            actor=cast.student, placement=cast.placement, work_description="another visit"
        )
    response = client.get(reverse("portfolios:feedback-give", kwargs={"token": token}))
    assert response.status_code == 404  # the link has closed with the portfolio
    assert not Evidence.objects.filter(placement=cast.placement).exists()


def test_signing_is_refused_while_cited_evidence_is_back_with_the_student(cast):
    placement = cast.placement
    item = builders.evidence(placement)
    review = builders.ready(placement, Review.Kind.MIDPOINT, cite=False)
    builders.grade_all(review, cite=[item])
    portfolio_services.evidence_review(
        actor=cast.educator, evidence=item, accept=False, comment="Please add the date."
    )
    first = placement.framework.domains.first()
    portfolio_services.evidence_update(
        actor=cast.student,
        evidence=item,
        kind=item.kind,
        title=item.title,
        practice_date=item.practice_date,
        mappings=[MappingInput(first, "Only this one now.")],
    )
    checks = services.review_sign_checks(review=builders.fresh(review))
    assert any("back with the student" in p for p in checks.problems)
    with pytest.raises(ValidationError):
        services.review_sign(actor=cast.educator, review=builders.fresh(review))
    item.refresh_from_db()
    assert item.locked_at is None


def test_an_id_too_large_for_the_database_is_refused_not_a_server_error(client, cast):
    review = builders.start(cast.placement, Review.Kind.FINAL)
    client.force_login(cast.educator)
    url = reverse("assessments:strengths-suitability", kwargs={"pk": review.pk})
    response = client.post(url, {"add_strength": "1", "text": "Listens well.", "domains": "9" * 25})
    assert response.status_code == 200
    assert "valid choice" in response.content.decode()
    url = reverse("assessments:review-outcome", kwargs={"pk": review.pk})
    response = client.post(url, {"recommendation_domains": "9" * 25})
    assert response.status_code == 200
