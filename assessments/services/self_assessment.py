"""The student's self-assessment before a review: per domain, a rating on the placement's scale
and a short account of why. A draft is the student's own; once submitted it is final, and the
educator sees it beside each domain while grading.

Errors name the form fields they belong to (`grade_<domain id>`, `narrative_<domain id>`) so the
page shows each one beside the domain it concerns.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments import rules
from assessments.models import Review, SelfAssessment, SelfRating
from portfolios.models import Domain, Grade, Placement

MAX_WORDS = 300
MAX_CHARACTERS = 3000  # SelfRating.narrative's max_length


def grade_field(domain: Domain) -> str:
    return f"grade_{domain.pk}"


def narrative_field(domain: Domain) -> str:
    return f"narrative_{domain.pk}"


def _require_student(actor: User, placement: Placement) -> None:
    if placement.student_id != actor.pk:
        raise PermissionDenied("Only the student writes their self-assessment.")


def _review_label(kind: str) -> str:
    return Review.Kind(kind).label.lower()


def self_assessment_closed(*, placement: Placement, kind: str) -> str:
    """Why the self-assessment before this review can no longer be written, or "" if it can:
    the placement is not active, or the review it prepares for is signed."""
    if placement.status != Placement.Status.ACTIVE:
        return (
            "Self-assessments are written while the placement is active; it is "
            f"{placement.get_status_display().lower()}."
        )
    review = rules.current_review(placement, kind)
    if review is not None and review.status != Review.Status.DRAFT:
        return (
            f"The {_review_label(kind)} has already been signed, so the self-assessment for it "
            "can no longer be written or changed."
        )
    return ""


def _require_open(placement: Placement, kind: str) -> None:
    closed = self_assessment_closed(placement=placement, kind=kind)
    if closed:
        raise ValidationError(closed)


def _require_draft(self_assessment: SelfAssessment) -> None:
    if self_assessment.status == SelfAssessment.Status.SUBMITTED:
        raise ValidationError(
            "You have already submitted this self-assessment, so it cannot be changed; nothing "
            "was changed."
        )


def _rating_errors(
    placement: Placement, domain: Domain, grade: Grade | None, narrative: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if domain.framework_id != placement.framework_id:
        errors["__all__"] = (
            f"Rate only the {placement.framework.domain_word_plural} of this placement's framework."
        )
        return errors
    if grade is not None and grade.scale_id != placement.grading_scale_id:
        errors[grade_field(domain)] = "That rating is not on this placement's grading scale."
    words = len(narrative.split())
    if words > MAX_WORDS:
        errors[narrative_field(domain)] = (
            f"Please keep this to {MAX_WORDS} words or fewer; it has {words}."
        )
    elif len(narrative) > MAX_CHARACTERS:
        errors[narrative_field(domain)] = (
            f"Please keep this under {MAX_CHARACTERS:,} characters; it has {len(narrative):,}."
        )
    return errors


@transaction.atomic
def self_assessment_save(
    *,
    actor: User,
    placement: Placement,
    kind: str,
    ratings: dict[Domain, tuple[Grade | None, str]],
) -> SelfAssessment:
    """Save the student's draft: a rating and a narrative for each domain given. Domains not
    given are left as they were."""
    placement = (
        Placement.objects.select_for_update()
        .select_related("framework", "grading_scale")
        .get(pk=placement.pk)
    )
    _require_student(actor, placement)
    if kind not in Review.Kind.values:
        raise ValidationError("Choose a midpoint or a final review.")
    _require_open(placement, kind)
    self_assessment, _ = SelfAssessment.objects.select_for_update().get_or_create(
        placement=placement, kind=kind
    )
    _require_draft(self_assessment)
    errors: dict[str, str] = {}
    cleaned = {}
    for domain, (grade, narrative) in ratings.items():
        narrative = (narrative or "").strip()
        errors.update(_rating_errors(placement, domain, grade, narrative))
        cleaned[domain] = (grade, narrative)
    if errors:
        raise ValidationError(errors)
    for domain, (grade, narrative) in cleaned.items():
        SelfRating.objects.update_or_create(
            self_assessment=self_assessment,
            domain=domain,
            defaults={"grade": grade, "narrative": narrative},
        )
    self_assessment.save(update_fields=["updated_at"])
    return self_assessment


@transaction.atomic
def self_assessment_submit(*, actor: User, self_assessment: SelfAssessment) -> SelfAssessment:
    """Submit the self-assessment: every domain needs a rating and a few words. Final."""
    self_assessment = (
        SelfAssessment.objects.select_for_update()
        .select_related("placement__framework")
        .get(pk=self_assessment.pk)
    )
    placement = self_assessment.placement
    _require_student(actor, placement)
    _require_draft(self_assessment)
    _require_open(placement, self_assessment.kind)
    rated = {r.domain_id: r for r in self_assessment.ratings.all()}
    errors: dict[str, list[str]] = {}
    missing = []
    for domain in placement.framework.domains.all():
        rating = rated.get(domain.pk)
        if rating is None or rating.grade_id is None:
            errors[grade_field(domain)] = ["Choose a rating before submitting."]
        if rating is None or not rating.narrative.strip():
            errors[narrative_field(domain)] = ["Write a few words on why, before submitting."]
        if grade_field(domain) in errors or narrative_field(domain) in errors:
            missing.append(f"{domain.order}. {domain.name}")
    if missing:
        framework = placement.framework
        word = framework.domain_word if len(missing) == 1 else framework.domain_word_plural
        errors["__all__"] = [
            f"Please give a rating and a few words for every {framework.domain_word} before "
            f"submitting. Still to do ({len(missing)} {word}): {'; '.join(missing)}."
        ]
        raise ValidationError(errors)
    self_assessment.status = SelfAssessment.Status.SUBMITTED
    self_assessment.submitted_at = timezone.now()
    self_assessment.full_clean()
    self_assessment.save()
    return self_assessment
