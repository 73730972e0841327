"""Ways to bring a review to a given point through the services, as its people would.

Reviews, judgements and evidence go through `assessments.services` and `portfolios.services`,
so what the tests see is what a real review at that point would hold. What the final review's
sign-off rules only read (a signed learning agreement, the days confirmed, suitability for
every area) is written directly, to keep the suite quick; `signable()` brings a placement to
the point where a final review meets every rule.
"""

import datetime

from django.utils import timezone

from assessments import services
from assessments.models import Judgement, PanelMeeting, Review, Strength, Suitability
from assessments.rules import current_review
from assessments.services.panel import panel_members_of
from portfolios import services as portfolio_services
from portfolios.models import (
    AgreementSignature,
    DirectObservation,
    Evidence,
    Grade,
    LearningAgreement,
    LearningGoal,
    Placement,
    PracticeArea,
)
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
    kind: str = Evidence.Kind.CRITICAL_REFLECTION,
    details: dict | None = None,
) -> Evidence:
    """Evidence by the placement's student, mapped to `domains` (all of them by default)."""
    if domains is None:
        domains = list(placement.framework.domains.all())
    item = portfolio_services.evidence_create(
        actor=placement.student,
        placement=placement,
        kind=kind,
        title=title,
        practice_date=days_ago(3),
        mappings=[MappingInput(d, "It shows this.") for d in domains],
        details=details,
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
            narrative=narrative(item.domain.name),
            evidence=list(cite),
        )
    return review


def narrative(name: str, words: int = 45) -> str:
    """A narrative long enough for the programme's default minimum of 40 words."""
    filler = " ".join(["The student showed this consistently across the placement."] * words)
    return " ".join(f"{name}: {filler}".split()[:words])


def observation(placement: Placement, *, observer=DirectObservation.Observer.EDUCATOR):
    """A submitted direct observation; one by the educator is accepted by the educator, as
    the rule needs before it counts as theirs."""
    item = evidence(
        placement,
        title=f"Direct observation by {observer}",
        kind=Evidence.Kind.DIRECT_OBSERVATION,
        details={"observer": observer, "observer_name": "A social worker in the team"},
    )
    if observer == DirectObservation.Observer.EDUCATOR:
        item = portfolio_services.evidence_review(
            actor=placement.educator, evidence=item, accept=True
        )
    return item


def agreement(placement: Placement, *, signed: bool = True) -> LearningAgreement:
    now = timezone.now()
    made = LearningAgreement.objects.create(
        placement=placement,
        created_by=placement.educator,
        supervision_frequency="Fortnightly",
        supervision_length="90 minutes",
        status=LearningAgreement.Status.SIGNED if signed else LearningAgreement.Status.DRAFT,
        signed_at=now if signed else None,
    )
    LearningGoal.objects.create(
        agreement=made, domain=placement.framework.domains.first(), text="Learn to assess."
    )
    if signed:
        people = [
            ("student", placement.student),
            ("educator", placement.educator),
            ("supervisor", placement.supervisor),
            ("tutor", placement.tutor),
        ]
        AgreementSignature.objects.bulk_create(
            AgreementSignature(agreement=made, role=role, user=user, signed_at=now)
            for role, user in people
            if user is not None
        )
    return made


def days_done(placement: Placement, days=None) -> Placement:
    """Days completed, as the attendance service would leave them once confirmed."""
    days = placement.required_days if days is None else days
    Placement.objects.filter(pk=placement.pk).update(days_completed=days)
    placement.days_completed = days
    return placement


def signable(placement: Placement) -> Placement:
    """Everything the final review's rules ask of the placement, outside the review itself:
    a signed and acknowledged midpoint, a signed learning agreement, the days, and three
    direct observations (two by the educator)."""
    if current_review(placement, Kind.MIDPOINT) is None:
        services.review_acknowledge(
            actor=placement.student, review=signed(placement, Kind.MIDPOINT)
        )
    if not placement.agreements.exists():
        agreement(placement)
    days_done(placement)
    observation(placement)
    observation(placement)
    observation(placement, observer=DirectObservation.Observer.SUPERVISOR)
    return placement


def rate_every_area(review: Review) -> None:
    Suitability.objects.bulk_create(
        Suitability(review=review, practice_area=area, rating=Suitability.Rating.NOT_OBSERVED)
        for area in PracticeArea.objects.exclude(pk__in=review.suitability.values("practice_area"))
    )


def ready(placement: Placement, kind: str = Kind.FINAL, *, cite: bool = True) -> Review:
    """A draft review that meets every sign-off rule: every domain graded at the pass value
    with a long enough narrative citing one evidence item, the outcome recorded, and for a
    final review a strength, every area rated and the placement made `signable()`."""
    if kind == Kind.FINAL:
        signable(placement)
    review = start(placement, kind)
    grade_all(review, cite=[evidence(placement)] if cite else ())
    if kind == Kind.FINAL:
        Strength.objects.create(review=review, text="Builds trust quickly with families.")
        rate_every_area(review)
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
    return services.review_countersign(
        actor=placement.tutor, review=acknowledged(placement), confirmed=True
    )


def meeting(placement: Placement, *present) -> PanelMeeting:
    """A panel meeting of the placement's university, today, with these members present (by
    default every panel member of the university)."""
    university = placement.programme.university
    record = PanelMeeting.objects.create(
        university=university,
        date=datetime.date.today(),
        created_by=present[0] if present else university.members.first(),
    )
    record.members_present.set(present or panel_members_of(university))
    return record


def fresh(review: Review) -> Review:
    return Review.objects.get(pk=review.pk)
