"""Starting a review: the educator only, on an active placement, one of each kind, with an
empty judgement for every domain of the placement's framework."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import Judgement, Review
from portfolios.models import Placement
from tests import factories
from tests.assessments import builders

Kind = Review.Kind


def test_the_educator_starts_a_draft_with_an_empty_judgement_per_domain(cast):
    review = services.review_start(
        actor=cast.educator, placement=cast.placement, kind=Kind.MIDPOINT
    )
    assert (review.kind, review.status, review.version) == (Kind.MIDPOINT, "draft", 1)
    domains = list(cast.placement.framework.domains.all())
    judgements = list(review.judgements.select_related("domain"))
    assert [j.domain for j in judgements] == domains
    assert all(j.grade is None and j.narrative == "" for j in judgements)


def test_a_framework_with_another_count_of_domains_gets_that_many_judgements(cast):
    framework = factories.CapabilityFrameworkFactory(domains=6)
    programme = factories.ProgrammeFactory(university=cast.university, framework=framework)
    placement = factories.PlacementFactory(programme=programme, educator=cast.educator)
    review = builders.start(placement)
    assert review.judgements.count() == 6


@pytest.mark.parametrize(
    "who", ["student", "supervisor", "tutor", "coordinator", "panel", "other_educator"]
)
def test_only_the_educator_starts_a_review(cast, who):
    with pytest.raises(PermissionDenied):
        services.review_start(actor=getattr(cast, who), placement=cast.placement, kind=Kind.FINAL)
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        Placement.Status.PLANNED,
        Placement.Status.DEFERRED,
        Placement.Status.TERMINATED,
        Placement.Status.FINAL_REVIEW_SIGNED,
    ],
)
def test_a_review_is_started_only_on_an_active_placement(cast, status):
    Placement.objects.filter(pk=cast.placement.pk).update(status=status)
    with pytest.raises(ValidationError) as exc:
        services.review_start(actor=cast.educator, placement=cast.placement, kind=Kind.MIDPOINT)
    assert "while the placement is active" in exc.value.messages[0]
    assert not Review.objects.exists()


@pytest.mark.parametrize("kind", [Kind.MIDPOINT, Kind.FINAL])
def test_a_placement_has_one_review_of_each_kind(cast, kind):
    builders.start(cast.placement, kind)
    with pytest.raises(ValidationError) as exc:
        services.review_start(actor=cast.educator, placement=cast.placement, kind=kind)
    assert "already has a" in exc.value.messages[0]
    assert Review.objects.filter(kind=kind).count() == 1
    assert Judgement.objects.count() == cast.placement.framework.domains.count()


def test_a_midpoint_and_a_final_review_sit_side_by_side(cast):
    builders.signed(cast.placement, Kind.MIDPOINT)
    final = builders.start(cast.placement, Kind.FINAL)
    assert final.kind == Kind.FINAL
    assert Review.objects.count() == 2


def test_the_final_review_waits_for_a_draft_midpoint_to_be_signed(cast):
    builders.start(cast.placement, Kind.MIDPOINT)
    with pytest.raises(ValidationError) as exc:
        services.review_start(actor=cast.educator, placement=cast.placement, kind=Kind.FINAL)
    assert "sign the midpoint review" in exc.value.messages[0]


@pytest.mark.parametrize("kind", ["", "annual"])
def test_a_review_of_an_unknown_kind_is_refused(cast, kind):
    with pytest.raises(ValidationError):
        services.review_start(actor=cast.educator, placement=cast.placement, kind=kind)
    assert not Review.objects.exists()
