"""The learning agreement: drafted by the student or the educator, signed by everyone on the
placement, and changed after signing only by an amendment with a reason, which keeps the
version people signed and opens a new draft.

The agreement row is locked for every change, so a signature and an edit, or two signatures
at the same moment, happen one after the other and the second sees the first.
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from portfolios.models import (
    AgreementSignature,
    Domain,
    LearningAgreement,
    LearningGoal,
    Placement,
)
from portfolios.services.evidence import OPEN_STATUSES

Status = LearningAgreement.Status
Role = AgreementSignature.Role

AGREEMENT_FIELDS = (
    "supervision_frequency",
    "supervision_length",
    "induction",
    "study_days",
    "workload",
    "concerns_process",
    "supervisor_role",
)
GOAL_MAX_LENGTH = 2000

# The part each signer plays, in the order the agreement page lists them.
_ROLE_FIELDS = (
    (Role.STUDENT, "student_id"),
    (Role.EDUCATOR, "educator_id"),
    (Role.SUPERVISOR, "supervisor_id"),
    (Role.TUTOR, "tutor_id"),
)


# --- Reading ----------------------------------------------------------------------------------


def agreement_current(*, placement: Placement) -> LearningAgreement | None:
    """The version in force: the newest one not replaced by an amendment."""
    return placement.agreements.exclude(status=Status.SUPERSEDED).order_by("-version").first()


def agreement_required_roles(*, placement: Placement) -> list[str]:
    """Who must sign: the student, the educator, the tutor, and the on-site supervisor only
    when the placement has one."""
    return [role for role, field in _ROLE_FIELDS if getattr(placement, field) is not None]


def agreement_signer_roles(*, placement: Placement, user: User) -> list[str]:
    """The parts this user plays on the placement, and so signs for. Empty for anyone else,
    however much else they may see (a coordinator, an administrator)."""
    return [role for role, field in _ROLE_FIELDS if getattr(placement, field) == user.pk]


def agreement_can_draft(*, placement: Placement, user: User) -> bool:
    return placement.student_id == user.pk or user.has_perm(
        "portfolios.assess_placement", placement
    )


def agreement_sign_problems(*, agreement: LearningAgreement) -> list[str]:
    """What must be written before the agreement can be signed, as sentences; empty if ready."""
    problems = []
    if not agreement.goals.exists():
        word = agreement.placement.framework.domain_word
        problems.append(
            f"Write at least one learning goal (for any {word}) before the agreement is signed."
        )
    if not agreement.supervision_frequency.strip():
        problems.append("Say how often supervision will happen before the agreement is signed.")
    return problems


# --- Checks -----------------------------------------------------------------------------------


def _require_drafter(actor: User, placement: Placement) -> None:
    if not agreement_can_draft(placement=placement, user=actor):
        raise PermissionDenied(
            f"Only the student or the {placement.framework.educator_title} drafts and amends "
            "the learning agreement."
        )


def _require_open(placement: Placement) -> None:
    if placement.status not in OPEN_STATUSES:
        raise ValidationError(
            f"This placement is {placement.get_status_display().lower()}, so its learning "
            "agreement can no longer change."
        )


def _locked(agreement: LearningAgreement) -> LearningAgreement:
    return (
        LearningAgreement.objects.select_for_update()
        .select_related("placement__framework")
        .get(pk=agreement.pk)
    )


def _clean_goals(placement: Placement, goals: Mapping[Domain, str]) -> dict[Domain, str]:
    cleaned = {domain: text.strip() for domain, text in goals.items()}
    word = placement.framework.domain_word
    if any(domain.framework_id != placement.framework_id for domain in cleaned):
        raise ValidationError(
            {"goals": f"Learning goals can only be set for this placement's {word}s."}
        )
    too_long = next((d for d, t in cleaned.items() if len(t) > GOAL_MAX_LENGTH), None)
    if too_long is not None:
        raise ValidationError(
            {
                "goals": f"The learning goal for “{too_long.name}” is too long; please keep "
                f"each goal under {GOAL_MAX_LENGTH} characters."
            }
        )
    return {domain: text for domain, text in cleaned.items() if text}


# --- Drafting ---------------------------------------------------------------------------------


@transaction.atomic
def agreement_save(
    *,
    actor: User,
    placement: Placement,
    goals: Mapping[Domain, str],
    supervision_frequency: str = "",
    supervision_length: str = "",
    induction: str = "",
    study_days: str = "",
    workload: str = "",
    concerns_process: str = "",
    supervisor_role: str = "",
) -> LearningAgreement:
    """Write the draft: the first version if there is none yet, otherwise the current draft.
    `goals` holds every domain's goal; a blank one removes that domain's goal. Nothing here
    insists on completeness: that is checked when someone signs."""
    # The placement row is locked so two people drafting at once make one version 1.
    placement = (
        Placement.objects.select_for_update().select_related("framework").get(pk=placement.pk)
    )
    _require_drafter(actor, placement)
    _require_open(placement)
    goals = _clean_goals(placement, goals)
    agreement = agreement_current(placement=placement)
    if agreement is None:
        agreement = LearningAgreement(placement=placement, version=1, created_by=actor)
    else:
        agreement = _locked(agreement)
        if agreement.status != Status.DRAFT or agreement.signatures.exists():
            raise ValidationError(
                "The learning agreement is being signed, so it can no longer be edited. "
                "To change it, amend it instead, giving the reason."
            )
    values = {
        "supervision_frequency": supervision_frequency,
        "supervision_length": supervision_length,
        "induction": induction,
        "study_days": study_days,
        "workload": workload,
        "concerns_process": concerns_process,
        "supervisor_role": supervisor_role,
    }
    for field, value in values.items():
        setattr(agreement, field, value.strip())
    agreement.full_clean()
    agreement.save()
    agreement.goals.exclude(domain__in=list(goals)).delete()
    for domain, text in goals.items():
        LearningGoal.objects.update_or_create(
            agreement=agreement, domain=domain, defaults={"text": text}
        )
    return agreement


# --- Signing ----------------------------------------------------------------------------------


@transaction.atomic
def agreement_sign(*, actor: User, agreement: LearningAgreement) -> LearningAgreement:
    """The actor signs for every part they play on the placement. When the last required
    person has signed, the agreement is signed."""
    agreement = _locked(agreement)
    placement = agreement.placement
    roles = agreement_signer_roles(placement=placement, user=actor)
    if not roles:
        raise PermissionDenied(
            "Only the people on this placement sign its learning agreement: the student, the "
            f"{placement.framework.educator_title}, the on-site supervisor and the tutor."
        )
    if agreement.status == Status.SUPERSEDED:
        raise ValidationError(
            "This version has been replaced by an amendment; please sign the newest version."
        )
    if agreement.status == Status.SIGNED:
        raise ValidationError(
            "Everyone has already signed this learning agreement; nothing was changed."
        )
    _require_open(placement)
    signed = set(agreement.signatures.values_list("role", flat=True))
    unsigned = [role for role in roles if role not in signed]
    if not unsigned:
        raise ValidationError("You have already signed this learning agreement; thank you.")
    problems = agreement_sign_problems(agreement=agreement)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    AgreementSignature.objects.bulk_create(
        AgreementSignature(agreement=agreement, role=role, user=actor, signed_at=now)
        for role in unsigned
    )
    if set(agreement_required_roles(placement=placement)) <= signed | set(unsigned):
        agreement.status = Status.SIGNED
        agreement.signed_at = now
        agreement.save(update_fields=["status", "signed_at", "updated_at"])
    return agreement


# --- Amending ---------------------------------------------------------------------------------


@transaction.atomic
def agreement_amend(*, actor: User, agreement: LearningAgreement, reason: str) -> LearningAgreement:
    """Change a signed (or partly signed) agreement. The old version is kept, marked as
    replaced; a new draft copies its content and goals, without signatures, and is signed
    afresh."""
    agreement = _locked(agreement)
    placement = agreement.placement
    _require_drafter(actor, placement)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Please give the reason for the amendment."})
    if agreement.status == Status.SUPERSEDED:
        raise ValidationError(
            "This version has already been amended; make the change in the newest version."
        )
    if agreement.status == Status.DRAFT and not agreement.signatures.exists():
        raise ValidationError(
            "Nobody has signed this draft yet, so it can simply be edited; there is nothing "
            "to amend."
        )
    _require_open(placement)
    agreement.status = Status.SUPERSEDED
    agreement.save(update_fields=["status", "updated_at"])
    new = LearningAgreement.objects.create(
        placement=placement,
        version=agreement.version + 1,
        previous=agreement,
        amendment_reason=reason,
        created_by=actor,
        **{field: getattr(agreement, field) for field in AGREEMENT_FIELDS},
    )
    LearningGoal.objects.bulk_create(
        LearningGoal(agreement=new, domain_id=goal.domain_id, text=goal.text)
        for goal in agreement.goals.all()
    )
    return new
