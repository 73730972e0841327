"""Importing a cohort CSV: all rows or none, through `placement_create`.

The plan (portfolios/cohort_import.py) is made again inside the transaction, so the import
acts on the database as it is at commit, not as it was at the preview. Rows already imported
(same student, programme, stage and start date) are skipped, so importing a file twice
creates nothing the second time.

A file of more than INLINE_ROWS rows takes longer than a page may wait (40 to 120
ms a placement: its checks, permissions and history), so the page hands it to the task
worker (`cohort_upload_queue`), which imports it the same way, in one transaction, and tells
the coordinator by notification when it has finished or why it stopped.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.invitations import invitations_send
from accounts.models import User
from accounts.roles import Role
from notifications.events import Event
from notifications.services import notify
from portfolios.cohort_import import ImportFileError, ImportPlan, plan_import
from portfolios.models import CohortUpload, Placement, University
from portfolios.selectors import universities_overseen_by
from portfolios.services.placements import placement_create, placement_people_roles

logger = logging.getLogger(__name__)

# Up to this many new placements are imported while the page waits; more go to the worker.
INLINE_ROWS = 100


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


def cohort_upload_read(upload: CohortUpload) -> bytes:
    """The stored file's bytes, exactly as previewed (OSError if it has gone)."""
    with upload.file.open("rb") as handle:
        raw = handle.read()
    if hashlib.sha256(raw).hexdigest() != upload.sha256:
        raise PermissionDenied("The stored file has changed since it was uploaded.")
    return raw


@transaction.atomic
def cohort_upload_record(*, upload: CohortUpload, result: ImportResult) -> None:
    """Mark the upload imported and delete its file; the row stays as the record."""
    upload.imported_at = timezone.now()
    upload.placements_created = len(result.placements)
    upload.people_created = result.people_created
    upload.failed_at, upload.import_errors = None, []
    upload.file.delete(save=False)
    upload.save()


@transaction.atomic
def cohort_upload_queue(*, actor: User, upload: CohortUpload) -> CohortUpload:
    """Hand the import to the task worker. Asking twice queues it once."""
    if not can_import_for(actor=actor, university=upload.university):
        raise PermissionDenied("Only a coordinator of this university can import its cohort.")
    upload = CohortUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.state in (CohortUpload.State.QUEUED, CohortUpload.State.IMPORTED):
        return upload
    upload.queued_at = timezone.now()
    upload.failed_at, upload.import_errors = None, []
    upload.save(update_fields=["queued_at", "failed_at", "import_errors"])
    transaction.on_commit(partial(_enqueue_import, upload.pk))
    return upload


def _enqueue_import(upload_id) -> None:
    from portfolios.tasks import import_cohort_upload

    try:
        import_cohort_upload.enqueue(str(upload_id))
    except Exception:
        logger.exception("Cohort upload %s could not be queued.", upload_id)
        CohortUpload.objects.filter(pk=upload_id, imported_at__isnull=True).update(
            queued_at=None,
            failed_at=timezone.now(),
            import_errors=["The import could not be started. Please press Import again."],
        )


def cohort_upload_run(*, upload_id) -> str:
    """Import a queued upload (run by the task worker): all or nothing, as the page does it.
    The upload's row is locked for the whole import, so a second copy of the task waits and
    then finds it imported. Whatever happens, its coordinator is told."""
    try:
        with transaction.atomic():
            upload = (
                CohortUpload.objects.select_for_update(of=("self",))
                .select_related("university", "uploaded_by")
                .filter(pk=upload_id)
                .first()
            )
            if upload is None or upload.state != CohortUpload.State.QUEUED:
                return "nothing to import"
            result = cohort_import(
                actor=upload.uploaded_by,
                university=upload.university,
                raw=cohort_upload_read(upload),
            )
            cohort_upload_record(upload=upload, result=result)
            notify(
                user=upload.uploaded_by,
                event=Event.COHORT_IMPORTED,
                link=upload.get_absolute_url(),
                context={"placements": str(len(result.placements))},
            )
            return f"imported {len(result.placements)}"
    except (ValidationError, ImportFileError, PermissionDenied, OSError) as error:
        reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
    except Exception:
        logger.exception("Cohort upload %s: the import failed.", upload_id)
        reasons = ["The import stopped on an unexpected error. Please try again later."]
    with transaction.atomic():
        upload = CohortUpload.objects.select_for_update().get(pk=upload_id)
        if upload.imported_at:
            return "nothing to import"
        upload.queued_at, upload.failed_at, upload.import_errors = None, timezone.now(), reasons
        upload.save(update_fields=["queued_at", "failed_at", "import_errors"])
        notify(
            user=upload.uploaded_by,
            event=Event.COHORT_IMPORT_FAILED,
            link=upload.get_absolute_url(),
        )
    return "failed"


def cohort_uploads_purge(*, older_than: datetime.timedelta) -> int:
    """Delete the files of cohort uploads previewed but never imported; their rows go too."""
    stale = CohortUpload.objects.filter(
        imported_at__isnull=True, queued_at__isnull=True, created_at__lt=timezone.now() - older_than
    )
    count = 0
    for upload in stale:
        upload.file.delete(save=False)
        upload.delete()
        count += 1
    return count
