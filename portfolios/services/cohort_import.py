"""Importing a cohort CSV: all rows or none, through `placement_create`.

The plan (portfolios/cohort_import.py) is made again inside the transaction, so the import
acts on the database as it is at commit, not as it was at the preview. Rows already imported
(same student, programme, stage and start date) are skipped, so importing a file twice
creates nothing the second time.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.invitations import invitations_send
from accounts.models import User
from accounts.roles import Role
from portfolios.cohort_import import ImportPlan, plan_import
from portfolios.models import CohortUpload, Placement, University
from portfolios.selectors import universities_overseen_by
from portfolios.services.placements import placement_create, placement_people_roles


@dataclass(frozen=True)
class ImportResult:
    placements: list[Placement]
    people_created: int
    already_imported: int
    invited: int


def can_import_for(*, actor: User, university: University) -> bool:
    return actor.is_superuser or (
        actor.has_role(Role.COORDINATOR)
        and universities_overseen_by(user=actor).filter(pk=university.pk).exists()
    )


@transaction.atomic
def cohort_import(*, actor: User, university: University, raw: bytes) -> ImportResult:
    """Create every new placement in the file, and an account (no password, an invitation)
    for every person who has none; or, if any row has an error, nothing at all."""
    if not can_import_for(actor=actor, university=university):
        raise PermissionDenied("Only a coordinator of this university can import its cohort.")
    # One import per university at a time: a second, started together, waits and then finds
    # the first one's placements already there, rather than creating them twice.
    university = University.objects.select_for_update().get(pk=university.pk)
    plan = plan_import(raw=raw, university=university)
    if plan.errors:
        raise ValidationError([str(error) for error in plan.errors])
    created = _create_people(plan)
    people = {**plan.people, **created}
    placements = []
    for row in plan.to_create:
        data = row.data
        supervisor_email = data.get("supervisor_email")
        placements.append(
            placement_create(
                actor=actor,
                student=people[data["student_email"]],
                educator=people[data["educator_email"]],
                supervisor=people[supervisor_email] if supervisor_email else None,
                tutor=people[data["tutor_email"]],
                programme=data["programme_obj"],
                setting_name=data["setting"],
                practice_area=data["practice_area_obj"],
                stage=data["stage"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                required_days=data["required_days"],
                invite=False,
            )
        )
    invited = invitations_send(
        people=(pair for placement in placements for pair in placement_people_roles(placement)),
        # Run from the command line, nobody in particular invites them.
        invited_by=actor if actor.pk else None,
    )
    return ImportResult(
        placements=placements,
        people_created=len(created),
        already_imported=len(plan.already_imported),
        invited=len(invited),
    )


def _create_people(plan: ImportPlan) -> dict[str, User]:
    """Accounts for the people the file names who have none: no usable password (they set one
    from their invitation) and the roles the file gives them. Three queries in all."""
    if not plan.new_people:
        return {}
    users = User.objects.bulk_create(
        User(
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            student_number=person.student_number,
            password=make_password(None),
        )
        for person in plan.new_people.values()
    )
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    # The role groups come with migration accounts/0002; a database emptied since (as between
    # transactional tests) gets them back rather than a KeyError.
    for role in set(Role.values) - set(groups):
        groups[role] = Group.objects.get_or_create(name=role)[0]
    through = User.groups.through
    links = []
    for user in users:
        roles = plan.new_people[user.email].roles
        user._role_names = set(roles)
        links.extend(through(user_id=user.pk, group_id=groups[role].pk) for role in roles)
    through.objects.bulk_create(links)
    return {user.email: user for user in users}


def cohort_uploads_purge(*, older_than: datetime.timedelta) -> int:
    """Delete the files of cohort uploads previewed but never imported; their rows go too."""
    stale = CohortUpload.objects.filter(
        imported_at__isnull=True, created_at__lt=timezone.now() - older_than
    )
    count = 0
    for upload in stale:
        upload.file.delete(save=False)
        upload.delete()
        count += 1
    return count
