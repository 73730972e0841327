"""Placements: creation, changes of people and dates, and moves along the state machine."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.invitations import invitations_send
from accounts.models import User
from accounts.roles import Role
from portfolios.models import (
    CapabilityFramework,
    GradingScale,
    Placement,
    PlacementStatusChange,
    PlacementWriteReopening,
    PracticeArea,
    Programme,
)
from portfolios.permissions import placement_sync_permissions
from portfolios.selectors import universities_overseen_by

Status = Placement.Status

DEFAULT_REQUIRED_DAYS = {Placement.Stage.FIRST: 70, Placement.Stage.FINAL: 100}

# Who may take a placement along each edge of its state machine, and whether a reason is due.
# Roles here are relations to the placement ("educator": its practice educator), or a
# university-wide role held by staff of the placement's university.
TRANSITIONS: dict[tuple[str, str], tuple[frozenset[str], bool]] = {
    (Status.PLANNED, Status.ACTIVE): (frozenset({"coordinator", "tutor"}), False),
    (Status.PLANNED, Status.TERMINATED): (frozenset({"coordinator"}), True),
    (Status.ACTIVE, Status.FINAL_REVIEW_SIGNED): (frozenset({"educator"}), False),
    (Status.ACTIVE, Status.DEFERRED): (frozenset({"coordinator", "tutor"}), True),
    (Status.ACTIVE, Status.TERMINATED): (frozenset({"coordinator", "tutor"}), True),
    (Status.FINAL_REVIEW_SIGNED, Status.STUDENT_ACKNOWLEDGED): (frozenset({"student"}), False),
    (Status.FINAL_REVIEW_SIGNED, Status.ACTIVE): (frozenset({"educator"}), True),
    (Status.STUDENT_ACKNOWLEDGED, Status.COUNTERSIGNED): (frozenset({"tutor"}), False),
    (Status.STUDENT_ACKNOWLEDGED, Status.ACTIVE): (frozenset({"educator"}), True),
    (Status.COUNTERSIGNED, Status.RATIFIED): (frozenset({"panel"}), False),
    (Status.COUNTERSIGNED, Status.ACTIVE): (frozenset({"panel"}), True),
    (Status.COUNTERSIGNED, Status.DEFERRED): (frozenset({"panel"}), True),
    (Status.DEFERRED, Status.ACTIVE): (frozenset({"coordinator"}), True),
}


def allowed_transitions(placement: Placement) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == placement.status]


def actor_relations(*, placement: Placement, user: User) -> set[str]:
    """The parts a user plays on this placement: student, educator, supervisor, tutor,
    and coordinator or panel if they hold that role at the placement's university."""
    relations = {
        rel
        for rel in ("student", "educator", "supervisor", "tutor")
        if getattr(placement, f"{rel}_id") == user.pk
    }
    if universities_overseen_by(user=user).filter(pk=placement.programme.university_id).exists():
        if user.has_role(Role.COORDINATOR):
            relations.add("coordinator")
        if user.has_role(Role.PANEL):
            relations.add("panel")
    return relations


def _check_people(
    *,
    student: User,
    educator: User,
    supervisor: User | None,
    tutor: User,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not student.has_role(Role.STUDENT):
        errors["student"] = f"{student.display_name} is not registered as a student."
    if student == educator:
        errors["educator"] = "A student cannot be their own practice educator."
    elif not educator.has_role(Role.EDUCATOR):
        errors["educator"] = f"{educator.display_name} is not registered as a practice educator."
    if supervisor is not None:
        if supervisor == student:
            errors["supervisor"] = "A student cannot be their own on-site supervisor."
        elif not supervisor.has_role(Role.SUPERVISOR) and not supervisor.has_role(Role.EDUCATOR):
            errors["supervisor"] = (
                f"{supervisor.display_name} is not registered as an on-site supervisor."
            )
    if tutor == student:
        errors["tutor"] = "A student cannot be their own tutor."
    elif not tutor.has_role(Role.TUTOR):
        errors["tutor"] = f"{tutor.display_name} is not registered as a tutor."
    return errors


def _check_dates(*, start_date: datetime.date, end_date: datetime.date) -> dict[str, str]:
    if end_date < start_date:
        return {"end_date": "The end date must be on or after the start date."}
    return {}


def _check_required_days(required_days: int) -> dict[str, str]:
    if not 1 <= required_days <= 365:
        return {"required_days": "Required days must be between 1 and 365."}
    return {}


@transaction.atomic
def placement_create(
    *,
    actor: User,
    student: User,
    educator: User,
    tutor: User,
    programme: Programme,
    setting_name: str,
    stage: str,
    start_date: datetime.date,
    end_date: datetime.date,
    supervisor: User | None = None,
    practice_area: PracticeArea | None = None,
    required_days: int | None = None,
    invite: bool = True,
) -> Placement:
    """Create a placement pinned to its programme's framework and scale, and grant its people
    their permissions in the same transaction. Anyone on it with no password yet is sent an
    invitation once the transaction commits (unless `invite` is off: the cohort import sends
    its invitations in bulk)."""
    if not (
        actor.is_superuser
        or universities_overseen_by(user=actor).filter(pk=programme.university_id).exists()
        and actor.has_role(Role.COORDINATOR)
    ):
        raise PermissionDenied("Only a coordinator of this programme's university can do that.")
    if required_days is None:
        required_days = DEFAULT_REQUIRED_DAYS.get(stage, 70)
    errors = {
        **_check_people(student=student, educator=educator, supervisor=supervisor, tutor=tutor),
        **_check_dates(start_date=start_date, end_date=end_date),
        **_check_required_days(required_days),
    }
    if errors:
        raise ValidationError(errors)

    placement = Placement(
        student=student,
        educator=educator,
        supervisor=supervisor,
        tutor=tutor,
        programme=programme,
        setting_name=setting_name,
        practice_area=practice_area,
        stage=stage,
        start_date=start_date,
        end_date=end_date,
        required_days=required_days,
        framework=programme.framework,
        grading_scale=programme.grading_scale,
    )
    placement.full_clean()
    placement.save()
    placement_sync_permissions(placement=placement)
    if invite:
        invitations_send(people=placement_people_roles(placement), invited_by=actor)
    return placement


def placement_people_roles(placement: Placement) -> list[tuple[User, str]]:
    """Each person on the placement with the role they play on it."""
    people = [
        (placement.student, Role.STUDENT),
        (placement.educator, Role.EDUCATOR),
        (placement.supervisor, Role.SUPERVISOR),
        (placement.tutor, Role.TUTOR),
    ]
    return [(user, role) for user, role in people if user is not None]


@transaction.atomic
def placement_update(
    *,
    actor: User,
    placement: Placement,
    educator: User,
    tutor: User,
    setting_name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    required_days: int,
    supervisor: User | None = None,
    practice_area: PracticeArea | None = None,
    framework: CapabilityFramework | None = None,
    grading_scale: GradingScale | None = None,
) -> Placement:
    """Change a placement's people, dates or pinned framework. Replacing the educator (or
    supervisor or tutor) moves the object permissions with them."""
    # Lock the row so two coordinators editing at once cannot interleave.
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if "coordinator" not in actor_relations(placement=placement, user=actor) and not (
        actor.is_superuser
    ):
        raise PermissionDenied("Only a coordinator of this placement's university can do that.")
    if placement.status in (Status.RATIFIED, Status.TERMINATED):
        status = placement.get_status_display().lower()
        raise ValidationError(f"This placement is {status} and can no longer be changed.")
    framework = framework or placement.framework
    grading_scale = grading_scale or placement.grading_scale
    errors = {
        **_check_people(
            student=placement.student, educator=educator, supervisor=supervisor, tutor=tutor
        ),
        **_check_dates(start_date=start_date, end_date=end_date),
        **_check_required_days(required_days),
    }
    changing_framework = (
        framework.pk != placement.framework_id or grading_scale.pk != placement.grading_scale_id
    )
    # Reviews live in the assessments app; looked up by name so this app need not import it.
    if changing_framework and (placement.evidence.exists() or placement.reviews.exists()):
        message = (
            "The framework and grading scale cannot change once the student has added "
            "evidence or a review has begun, because both are tied to this framework."
        )
        if framework.pk != placement.framework_id:
            errors["framework"] = message
        else:
            errors["grading_scale"] = message
    if errors:
        raise ValidationError(errors)

    placement.educator = educator
    placement.supervisor = supervisor
    placement.tutor = tutor
    placement.setting_name = setting_name
    placement.practice_area = practice_area
    placement.start_date = start_date
    placement.end_date = end_date
    placement.required_days = required_days
    placement.framework = framework
    placement.grading_scale = grading_scale
    placement.full_clean()
    placement.save()
    placement_sync_permissions(placement=placement)
    invitations_send(people=placement_people_roles(placement), invited_by=actor)
    return placement


@transaction.atomic
def placement_transition(
    *, actor: User, placement: Placement, to_status: str, reason: str = ""
) -> Placement:
    """Move a placement one step along its state machine, recording who, when and why.

    The row is locked and its status re-read, so of two identical requests at once the
    second finds the placement already moved and is refused.
    """
    placement = (
        Placement.objects.select_for_update().select_related("programme").get(pk=placement.pk)
    )
    edge = TRANSITIONS.get((placement.status, to_status))
    if edge is None:
        raise ValidationError(
            f"A placement that is {placement.get_status_display().lower()} cannot be moved to "
            f"{Status(to_status).label.lower() if to_status in Status.values else to_status}."
        )
    who, reason_required = edge
    if not who & actor_relations(placement=placement, user=actor):
        raise PermissionDenied("You are not the person who can take this step.")
    reason = reason.strip()
    if reason_required and not reason:
        raise ValidationError({"reason": "Please give a reason for this change."})

    PlacementStatusChange.objects.create(
        placement=placement,
        from_status=placement.status,
        to_status=to_status,
        actor=actor,
        reason=reason,
    )
    placement.status = to_status
    placement.save(update_fields=["status", "updated_at"])
    return placement


# Placements that take no writes of their own: a coordinator may reopen them for a while.
CLOSED_STATUSES = (
    Status.FINAL_REVIEW_SIGNED,
    Status.STUDENT_ACKNOWLEDGED,
    Status.COUNTERSIGNED,
    Status.RATIFIED,
    Status.TERMINATED,
)
REOPEN_MAX_DAYS = 30
REOPEN_REASON_MAX = 2000


@transaction.atomic
def placement_write_reopen(
    *, actor: User, placement: Placement, days: int, reason: str
) -> PlacementWriteReopening:
    """Let a closed placement take evidence, supervision records and attendance again for
    `days` days (signed reviews and agreements stay as they are), recording who, when, until
    when and why. Reopening again replaces the end date with the new one."""
    placement = (
        Placement.objects.select_for_update().select_related("programme").get(pk=placement.pk)
    )
    if "coordinator" not in actor_relations(placement=placement, user=actor):
        raise PermissionDenied("Only a coordinator of this placement's university can do that.")
    if placement.status not in CLOSED_STATUSES:
        raise ValidationError(
            f"This placement is {placement.get_status_display().lower()} and already takes "
            "writes; there is nothing to reopen."
        )
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not 1 <= days <= REOPEN_MAX_DAYS:
        errors["days"] = f"Please choose between 1 and {REOPEN_MAX_DAYS} days."
    if not reason:
        errors["reason"] = "Please say why the placement is reopened, and for what."
    elif len(reason) > REOPEN_REASON_MAX:
        errors["reason"] = f"Please keep the reason to {REOPEN_REASON_MAX} characters."
    if errors:
        raise ValidationError(errors)
    until = timezone.now() + datetime.timedelta(days=days)
    placement.write_open_until = until
    placement.save(update_fields=["write_open_until", "updated_at"])
    return PlacementWriteReopening.objects.create(
        placement=placement, actor=actor, days=days, open_until=until, reason=reason
    )
