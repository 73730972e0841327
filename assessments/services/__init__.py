"""Writes with rules for reviews: judgements, strengths, suitability, the recommendation, the
sign-off chain (sign → acknowledge → countersign → ratify or return) and amendments; and
concerns with action plans.

Every sign-off step locks the review row and re-reads its status, so of two identical
requests at the same moment exactly one succeeds and the other is told it was already done.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments import notices, rules
from assessments.models import (
    COUNTERSIGN_COMMENT_MAX,
    PANEL_NOTE_MAX,
    ActionTarget,
    Concern,
    Judgement,
    JudgementEvidence,
    LearningNeed,
    PanelMeeting,
    Review,
    ReviewComment,
    SignedReport,
    Strength,
    Suitability,
)
from assessments.report.store import report_store
from portfolios.models import (
    Domain,
    Evidence,
    Grade,
    Placement,
    PracticeArea,
)
from portfolios.services import actor_relations, placement_transition

Status = Review.Status
PS = Placement.Status


def _educator_title(placement: Placement) -> str:
    return placement.framework.educator_title


def _require_educator(actor: User, placement: Placement) -> None:
    if not actor.has_perm("portfolios.assess_placement", placement):
        raise PermissionDenied(
            f"Only the {_educator_title(placement)} can write or sign this review."
        )


def _editable(review: Review) -> Review:
    """Lock the review row for a change and refuse if it is signed."""
    review = (
        Review.objects.select_for_update()
        .select_related("placement__framework", "placement__grading_scale")
        .get(pk=review.pk)
    )
    if review.status != Status.DRAFT or review.locked_at is not None:
        raise ValidationError(
            "This review has been signed and is locked. To correct it, the "
            f"{_educator_title(review.placement)} reopens it as an amendment, with a reason."
        )
    return review


# --- Starting a review ------------------------------------------------------------------------


@transaction.atomic
def review_start(*, actor: User, placement: Placement, kind: str) -> Review:
    """Open a draft review with an empty judgement for every domain of the framework."""
    placement = (
        Placement.objects.select_for_update().select_related("framework").get(pk=placement.pk)
    )
    _require_educator(actor, placement)
    if kind not in Review.Kind.values:
        raise ValidationError("Choose a midpoint or a final review.")
    if placement.status != PS.ACTIVE:
        raise ValidationError(
            f"Reviews are written while the placement is active; it is "
            f"{placement.get_status_display().lower()}."
        )
    existing = placement.reviews.filter(kind=kind)
    if existing.exists():
        raise ValidationError(
            f"This placement already has a {Review.Kind(kind).label.lower()}. Open it to "
            "continue, or amend it if it is signed."
        )
    if (
        kind == Review.Kind.FINAL
        and placement.reviews.filter(kind=Review.Kind.MIDPOINT, status=Status.DRAFT).exists()
    ):
        raise ValidationError("Please sign the midpoint review before starting the final one.")
    review = Review.objects.create(placement=placement, kind=kind)
    Judgement.objects.bulk_create(
        Judgement(review=review, domain=domain) for domain in placement.framework.domains.all()
    )
    return review


# --- Writing ----------------------------------------------------------------------------------


@transaction.atomic
def judgement_save(
    *,
    actor: User,
    judgement: Judgement,
    grade: Grade | None,
    narrative: str,
    evidence: Sequence[Evidence] = (),
) -> Judgement:
    """Save one domain's grade, narrative and cited evidence (in the order given). Used by the
    form and by autosave alike."""
    review = _editable(judgement.review)
    placement = review.placement
    _require_educator(actor, placement)
    judgement = Judgement.objects.select_for_update().get(pk=judgement.pk, review=review)
    errors: dict[str, str] = {}
    if grade is not None and grade.scale_id != placement.grading_scale_id:
        errors["grade"] = "That grade is not on this placement's grading scale."
    cited = list(dict.fromkeys(evidence))
    # An item sent back after it was cited may stay cited while the student revises it (the
    # sign-off rules flag it); nothing that is back with the student may be newly cited.
    already = set(judgement.citations.values_list("evidence_id", flat=True))
    wrong = [
        e
        for e in cited
        if e.placement_id != placement.pk or (e.status not in rules.CITABLE and e.pk not in already)
    ]
    if wrong:
        errors["evidence"] = (
            "Only submitted or accepted evidence from this placement can be cited "
            f"(“{wrong[0].title}” is {wrong[0].get_status_display().lower()})."
        )
    elif cited:
        mapped = set(
            Evidence.objects.filter(
                pk__in=[e.pk for e in cited], mappings__domain=judgement.domain
            ).values_list("pk", flat=True)
        )
        unmapped = [e for e in cited if e.pk not in mapped and e.pk not in already]
        if unmapped:
            word = placement.framework.domain_word
            errors["evidence"] = (
                f"“{unmapped[0].title}” is not mapped to this {word}, so it cannot be cited here."
            )
    if errors:
        raise ValidationError(errors)
    judgement.grade = grade
    judgement.narrative = narrative
    judgement.save()
    judgement.citations.all().delete()
    JudgementEvidence.objects.bulk_create(
        JudgementEvidence(judgement=judgement, evidence=e, order=i) for i, e in enumerate(cited)
    )
    return judgement


def _domains_of(review: Review, domains: Iterable[Domain]) -> list[Domain]:
    domains = list(domains)
    if any(d.framework_id != review.placement.framework_id for d in domains):
        raise ValidationError({"domains": "Choose from this placement's framework only."})
    return domains


@transaction.atomic
def strength_add(
    *, actor: User, review: Review, text: str, domains: Iterable[Domain] = ()
) -> Strength:
    review = _editable(review)
    _require_educator(actor, review.placement)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Please describe the strength."})
    strength = Strength.objects.create(review=review, text=text)
    strength.domains.set(_domains_of(review, domains))
    return strength


@transaction.atomic
def strength_remove(*, actor: User, strength: Strength) -> None:
    review = _editable(strength.review)
    _require_educator(actor, review.placement)
    strength.delete()


@transaction.atomic
def suitability_save(
    *, actor: User, review: Review, practice_area: PracticeArea, rating: str, rationale: str
) -> Suitability:
    """Record (or change) how suited the student is to one area of practice."""
    review = _editable(review)
    _require_educator(actor, review.placement)
    rationale = rationale.strip()
    if rating not in Suitability.Rating.values:
        raise ValidationError({"rating": "Please choose a rating."})
    if rating != Suitability.Rating.NOT_OBSERVED and not rationale:
        raise ValidationError(
            {"rationale": "Please give the reasons for this rating, drawn from what you saw."}
        )
    row, _ = Suitability.objects.update_or_create(
        review=review,
        practice_area=practice_area,
        defaults={"rating": rating, "rationale": rationale},
    )
    return row


@transaction.atomic
def suitability_remove(*, actor: User, suitability: Suitability) -> None:
    review = _editable(suitability.review)
    _require_educator(actor, review.placement)
    suitability.delete()


@transaction.atomic
def review_outcome_save(
    *,
    actor: User,
    review: Review,
    summary: str = "",
    midpoint_outcome: str = "",
    recommendation: str = "",
    recommendation_justification: str = "",
    no_concern_reason: str = "",
    recommendation_domains: Iterable[Domain] = (),
) -> Review:
    """The overall account and, for the final review, the recommendation; for the midpoint,
    whether the student is on track. Checked fully only at signing."""
    review = _editable(review)
    _require_educator(actor, review.placement)
    if review.is_final:
        if recommendation and recommendation not in Review.Recommendation.values:
            raise ValidationError({"recommendation": "Choose pass, fail or defer."})
        review.recommendation = recommendation
        review.recommendation_justification = recommendation_justification.strip()
        review.recommendation_domains.set(_domains_of(review, recommendation_domains))
    else:
        if midpoint_outcome and midpoint_outcome not in Review.MidpointOutcome.values:
            raise ValidationError({"midpoint_outcome": "Choose on track or concerns."})
        review.midpoint_outcome = midpoint_outcome
    review.no_concern_reason = no_concern_reason.strip()
    review.summary = summary
    review.save()
    return review


def review_comment_add(*, actor: User, review: Review, text: str) -> ReviewComment:
    """The on-site supervisor (or tutor) adds a comment for the educator; never a grade."""
    if not actor.has_perm("portfolios.comment_placement", review.placement):
        raise PermissionDenied("You cannot comment on this review.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Please write your comment before sending it."})
    return ReviewComment.objects.create(review=review, author=actor, text=text)


# --- Checks before signing --------------------------------------------------------------------


def review_sign_checks(*, review: Review) -> rules.Checklist:
    """Every sign-off rule for the review, met or not, and the warnings beside them."""
    return rules.checklist(review)


# --- The sign-off chain -----------------------------------------------------------------------


def _locked_review(review: Review) -> Review:
    return (
        Review.objects.select_for_update()
        .select_related("placement__framework", "placement__grading_scale", "placement__tutor")
        .get(pk=review.pk)
    )


def _already(review: Review) -> ValidationError:
    return ValidationError(
        f"This review is already {review.get_status_display().lower()}; nothing was changed."
    )


@transaction.atomic
def review_sign(*, actor: User, review: Review) -> Review:
    """The educator signs. The review, its judgements, strengths and suitability, and every
    evidence item it cites become read-only; a final review moves the placement on."""
    review = _locked_review(review)
    placement = review.placement
    _require_educator(actor, placement)
    if review.status != Status.DRAFT:
        raise _already(review)
    if not review.is_final and placement.status != PS.ACTIVE:
        raise ValidationError(
            "The midpoint review can only be signed while the placement is active."
        )
    # Hold what the rules read still while they are checked: a concern raised (it locks the
    # placement) or cited evidence sent back (it locks the item) waits until this is done.
    Placement.objects.select_for_update().filter(pk=placement.pk).first()
    list(
        Evidence.objects.select_for_update(of=("self",))
        .filter(citations__judgement__review=review)
        .values_list("pk", flat=True)
    )
    problems = rules.checklist(review).problems
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    review.status = Status.SIGNED
    review.signed_by = actor
    review.signed_at = now
    review.locked_at = now
    review.save()
    Evidence.objects.filter(citations__judgement__review=review, locked_at__isnull=True).update(
        locked_at=now
    )
    if review.is_final:
        placement_transition(actor=actor, placement=placement, to_status=PS.FINAL_REVIEW_SIGNED)
        report_store(review=review, event=SignedReport.Event.SIGNED)
    notices.review_signed(review)
    return review


@transaction.atomic
def review_acknowledge(*, actor: User, review: Review, comment: str = "") -> Review:
    """The student has read the signed review, may add comments, and acknowledges it. A final
    review then goes to the tutor; a midpoint review stays with the placement."""
    review = _locked_review(review)
    if review.placement.student_id != actor.pk:
        raise PermissionDenied("Only the student acknowledges their review.")
    if review.status != Status.SIGNED:
        raise (
            _already(review)
            if review.status != Status.DRAFT
            else ValidationError("The review must be signed by the educator first.")
        )
    review.student_comment = comment.strip()
    review.acknowledged_at = timezone.now()
    review.status = Status.ACKNOWLEDGED
    review.save()
    if review.is_final:
        placement_transition(
            actor=actor, placement=review.placement, to_status=PS.STUDENT_ACKNOWLEDGED
        )
        report_store(review=review, event=SignedReport.Event.ACKNOWLEDGED)
    notices.review_acknowledged(review)
    return review


@transaction.atomic
def review_countersign(
    *, actor: User, review: Review, confirmed: bool, comment: str = ""
) -> Review:
    """The tutor has read the report and countersigns it, with an optional comment that goes
    to the panel with the report."""
    review = _locked_review(review)
    if not actor.has_perm("portfolios.countersign_placement", review.placement):
        raise PermissionDenied("Only the placement's tutor countersigns.")
    if not review.is_final:
        raise ValidationError("Only the final review is countersigned.")
    if review.status != Status.ACKNOWLEDGED:
        if review.status in (Status.DRAFT, Status.SIGNED):
            raise ValidationError("The student must acknowledge the review before you countersign.")
        raise _already(review)
    comment = comment.strip()
    errors = {}
    if not confirmed:
        errors["confirmed"] = (
            "Please tick the box to confirm you have read the report and countersign it."
        )
    if len(comment) > COUNTERSIGN_COMMENT_MAX:
        errors["comment"] = (
            f"Please keep your comment to {COUNTERSIGN_COMMENT_MAX} characters "
            f"(it has {len(comment)})."
        )
    if errors:
        raise ValidationError(errors)
    review.countersigned_by = actor
    review.countersigned_at = timezone.now()
    review.countersign_comment = comment
    review.status = Status.COUNTERSIGNED
    review.save()
    placement_transition(actor=actor, placement=review.placement, to_status=PS.COUNTERSIGNED)
    report_store(review=review, event=SignedReport.Event.COUNTERSIGNED)
    notices.review_countersigned(review)
    return review


def _panel_decision_checks(*, actor: User, review: Review, meeting: PanelMeeting) -> None:
    """The panel decides on a countersigned review, at a meeting of the placement's university
    that the deciding member attended."""
    if review.status != Status.COUNTERSIGNED:
        if review.status in (Status.RATIFIED, Status.RETURNED):
            raise _already(review)
        raise ValidationError("The tutor must countersign the review before the panel reads it.")
    if "panel" not in actor_relations(placement=review.placement, user=actor):
        raise PermissionDenied("Only a panel member of the placement's university decides.")
    if meeting is None or meeting.university_id != review.placement.programme.university_id:
        raise ValidationError({"meeting": "Choose a panel meeting of this placement's university."})
    if not meeting.members_present.filter(pk=actor.pk).exists():
        raise ValidationError(
            {
                "meeting": "You are not listed as present at that meeting; choose a meeting "
                "you attended, or record the meeting with you among its members."
            }
        )


def _decided(review: Review, *, actor: User, meeting: PanelMeeting) -> None:
    review.panel_by = actor
    review.panel_at = timezone.now()
    review.panel_meeting = meeting


@transaction.atomic
def review_ratify(*, actor: User, review: Review, meeting: PanelMeeting, note: str = "") -> Review:
    """The panel ratifies the report at a meeting, with an optional note kept on the review."""
    review = _locked_review(review)
    _panel_decision_checks(actor=actor, review=review, meeting=meeting)
    note = note.strip()
    if len(note) > PANEL_NOTE_MAX:
        raise ValidationError(
            {"note": f"Please keep the note to {PANEL_NOTE_MAX} characters (it has {len(note)})."}
        )
    placement_transition(actor=actor, placement=review.placement, to_status=PS.RATIFIED)
    _decided(review, actor=actor, meeting=meeting)
    review.panel_note = note
    review.status = Status.RATIFIED
    review.save()
    report_store(review=review, event=SignedReport.Event.RATIFIED)
    return review


@transaction.atomic
def review_return(*, actor: User, review: Review, meeting: PanelMeeting, reason: str) -> Review:
    """The panel sends the review back at a meeting, with a reason. The returned version stays
    intact and a new draft version opens for the educator."""
    review = _locked_review(review)
    _panel_decision_checks(actor=actor, review=review, meeting=meeting)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Please say what the panel needs, so it can be acted on."})
    placement_transition(
        actor=actor, placement=review.placement, to_status=PS.ACTIVE, reason=reason
    )
    _decided(review, actor=actor, meeting=meeting)
    review.return_reason = reason
    review.status = Status.RETURNED
    review.save()
    new_version = _new_version(review, reason=f"Returned by the panel: {reason}")
    notices.review_returned(review, new_version)
    return new_version


@transaction.atomic
def review_amend(*, actor: User, review: Review, reason: str) -> Review:
    """The educator reopens a signed review to correct it. The signed version stays as it was;
    a new draft version, a copy of it, takes its place."""
    review = _locked_review(review)
    placement = review.placement
    _require_educator(actor, placement)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Please give the reason for the amendment."})
    if review.status not in (Status.SIGNED, Status.ACKNOWLEDGED):
        if review.status in (Status.SUPERSEDED, Status.RETURNED):
            raise ValidationError(
                "This version has already been reopened; make the correction in the newest version."
            )
        if review.status == Status.DRAFT:
            raise ValidationError("A draft can simply be edited; there is nothing to amend.")
        raise ValidationError(
            "Once countersigned, a review can only be reopened by the panel returning it."
        )
    if review.is_final:
        placement_transition(actor=actor, placement=placement, to_status=PS.ACTIVE, reason=reason)
    elif placement.status != PS.ACTIVE:
        raise ValidationError(
            "The midpoint review can only be amended while the placement is active; correct "
            "the final review instead."
        )
    review.status = Status.SUPERSEDED
    review.save(update_fields=["status", "updated_at"])
    return _new_version(review, reason=reason)


def _new_version(old: Review, *, reason: str) -> Review:
    """A draft copy of a review: judgements with their citations, strengths, suitability."""
    new = Review.objects.create(
        placement=old.placement,
        kind=old.kind,
        version=old.version + 1,
        previous=old,
        amendment_reason=reason,
        summary=old.summary,
        midpoint_outcome=old.midpoint_outcome,
        recommendation=old.recommendation,
        recommendation_justification=old.recommendation_justification,
        no_concern_reason=old.no_concern_reason,
        supervisor_statement=old.supervisor_statement,
        supervisor_statement_at=old.supervisor_statement_at,
    )
    new.recommendation_domains.set(old.recommendation_domains.all())
    for judgement in old.judgements.prefetch_related("citations"):
        copy = Judgement.objects.create(
            review=new,
            domain=judgement.domain,
            grade=judgement.grade,
            narrative=judgement.narrative,
        )
        JudgementEvidence.objects.bulk_create(
            JudgementEvidence(judgement=copy, evidence_id=c.evidence_id, order=c.order)
            for c in judgement.citations.all()
        )
    for strength in old.strengths.prefetch_related("domains"):
        copy = Strength.objects.create(review=new, text=strength.text)
        copy.domains.set(strength.domains.all())
    Suitability.objects.bulk_create(
        Suitability(
            review=new, practice_area_id=s.practice_area_id, rating=s.rating, rationale=s.rationale
        )
        for s in old.suitability.all()
    )
    LearningNeed.objects.bulk_create(
        LearningNeed(review=new, area=n.area, development=n.development, support=n.support)
        for n in old.learning_needs.all()
    )
    return new


# --- Concerns and action plans ----------------------------------------------------------------


@transaction.atomic
def concern_raise(
    *,
    actor: User,
    placement: Placement,
    description: str,
    review_date: datetime.date,
    targets: dict[Domain, str],
) -> Concern:
    """The educator or tutor raises a concern with an action plan; the tutor is told at once."""
    if not (
        actor.has_perm("portfolios.assess_placement", placement)
        or actor.has_perm("portfolios.countersign_placement", placement)
    ):
        raise PermissionDenied("Only the educator or the tutor raises a concern.")
    placement = (
        Placement.objects.select_for_update().select_related("framework").get(pk=placement.pk)
    )
    if placement.status != PS.ACTIVE:
        raise ValidationError(
            "Concerns are raised while the placement is active; it is "
            f"{placement.get_status_display().lower()}."
        )
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Please describe the concern."
    if review_date <= timezone.localdate():
        errors["review_date"] = "The review date must be in the future."
    targets = {d: t.strip() for d, t in targets.items() if t.strip()}
    if not targets:
        errors["targets"] = (
            f"Set a target for at least one {placement.framework.domain_word} in the action plan."
        )
    if any(d.framework_id != placement.framework_id for d in targets):
        errors["targets"] = "Choose from this placement's framework only."
    if errors:
        raise ValidationError(errors)
    concern = Concern.objects.create(
        placement=placement,
        raised_by=actor,
        description=description.strip(),
        review_date=review_date,
    )
    concern.domains.set(targets)
    ActionTarget.objects.bulk_create(
        ActionTarget(concern=concern, domain=d, target=t) for d, t in targets.items()
    )
    notices.concern_raised(concern, actor)
    return concern


@transaction.atomic
def concern_record_outcome(
    *, actor: User, concern: Concern, outcome: str, note: str, review_date=None
) -> Concern:
    concern = Concern.objects.select_for_update().select_related("placement").get(pk=concern.pk)
    placement = concern.placement
    if not (
        actor.has_perm("portfolios.assess_placement", placement)
        or actor.has_perm("portfolios.countersign_placement", placement)
    ):
        raise PermissionDenied("Only the educator or the tutor records the outcome.")
    if concern.outcome in (Concern.Outcome.RESOLVED, Concern.Outcome.ESCALATED):
        raise ValidationError(
            f"This concern was {concern.get_outcome_display().lower()} already; raise a new "
            "concern if there is more to act on."
        )
    if outcome not in Concern.Outcome.values or outcome == Concern.Outcome.OPEN:
        raise ValidationError({"outcome": "Choose resolved, extended or escalated."})
    if not note.strip():
        raise ValidationError({"note": "Please explain the outcome."})
    if outcome == Concern.Outcome.EXTENDED:
        if review_date is None or review_date <= timezone.localdate():
            raise ValidationError(
                {"review_date": "An extended plan needs a new review date in the future."}
            )
        concern.review_date = review_date
    concern.outcome = outcome
    concern.outcome_note = note.strip()
    concern.outcome_by = actor
    concern.outcome_at = timezone.now()
    concern.save()
    return concern


from assessments.services.final_report import (  # noqa: E402, F401
    learning_need_add,
    learning_need_remove,
    supervisor_statement_save,
)
from assessments.services.panel import moderation_sample_draw, panel_meeting_create  # noqa: E402, F401
from assessments.services.self_assessment import self_assessment_save, self_assessment_submit  # noqa: E402, F401
from assessments.services.share import (  # noqa: E402, F401
    share_link_create,
    share_link_for_token,
    share_link_opened,
    share_link_revoke,
)
