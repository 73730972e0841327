"""Ways to bring a review to a given point through the services, as its people would.

Every builder goes through `assessments.services` and `portfolios.services`, so what the tests
see is what a real review at that point would hold.
"""

import datetime

from assessments import services
from assessments.models import Judgement, Review
from portfolios import services as portfolio_services
from portfolios.models import Evidence, Grade, Placement
from portfolios.services.evidence import MappingInput

Kind = Review.Kind


def days_ago(n: int) -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=n)


def days_ahead(n: int) -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=n)


def evidence(
    placement: Placement,
    *,
    domains=None,
    title: str = "Reflection on a home visit",
    submit: bool = True,
) -> Evidence:
    """Evidence by the placement's student, mapped to `domains` (all of them by default)."""
    if domains is None:
        domains = list(placement.framework.domains.all())
    item = portfolio_services.evidence_create(
        actor=placement.student,
        placement=placement,
        kind=Evidence.Kind.CRITICAL_REFLECTION,
        title=title,
        practice_date=days_ago(3),
        mappings=[MappingInput(d, "It shows this.") for d in domains],
    )
    if submit:
        item = portfolio_services.evidence_submit(actor=placement.student, evidence=item)
    return item


def grade(placement: Placement, value: int) -> Grade:
    return placement.grading_scale.grades.get(value=value)


def judgement(review: Review, order: int) -> Judgement:
    return review.judgements.get(domain__order=order)


def start(placement: Placement, kind: str = Kind.FINAL) -> Review:
    return services.review_start(actor=placement.educator, placement=placement, kind=kind)


def grade_all(review: Review, *, value: int = 3, cite=()) -> Review:
    placement = review.placement
    for item in review.judgements.all():
        services.judgement_save(
            actor=placement.educator,
            judgement=item,
            grade=grade(placement, value),
            narrative=f"Narrative for {item.domain.name}.",
            evidence=list(cite),
        )
    return review


def ready(placement: Placement, kind: str = Kind.FINAL, *, cite: bool = True) -> Review:
    """A draft review that can be signed with no warning: every domain graded at the pass
    value and citing one evidence item, and the outcome recorded."""
    review = start(placement, kind)
    grade_all(review, cite=[evidence(placement)] if cite else ())
    if kind == Kind.FINAL:
        services.review_outcome_save(
            actor=placement.educator,
            review=review,
            summary="A capable student.",
            recommendation=Review.Recommendation.PASS,
            recommendation_justification="Meets every domain, holistically.",
        )
    else:
        services.review_outcome_save(
            actor=placement.educator,
            review=review,
            midpoint_outcome=Review.MidpointOutcome.ON_TRACK,
        )
    return fresh(review)


def signed(placement: Placement, kind: str = Kind.FINAL) -> Review:
    return services.review_sign(actor=placement.educator, review=ready(placement, kind))


def acknowledged(placement: Placement) -> Review:
    return services.review_acknowledge(
        actor=placement.student, review=signed(placement), comment="Thank you."
    )


def countersigned(placement: Placement) -> Review:
    return services.review_countersign(actor=placement.tutor, review=acknowledged(placement))


def fresh(review: Review) -> Review:
    return Review.objects.get(pk=review.pk)
