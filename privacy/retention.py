"""Anonymising placements once they are past the retention period (docs/security.md).

What a university must keep stays: the placement (dates, programme, status), the signed
report PDFs with their SHA-256 and verification codes, and the outcome (each review's
recommendation, grades, ratings, sign-off steps and who signed them). Everything people wrote
on the placement goes: evidence text and files, comments, feedback, the names-to-keep-out list,
attendance notes, concern and review wording (the signed PDFs still hold what was signed), and
the history rows that kept earlier versions of it. An account is anonymised only when none of
its placements still needs it.

Signed and confirmed rows refuse changes by design; this is the one path allowed past that
lock, through `anonymising()` (portfolios/models/immutability.py), which the model guards and
the PostgreSQL triggers honour.
"""

import dataclasses
import datetime
from collections import Counter

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from assessments.models import (
    ActionTarget,
    Concern,
    Judgement,
    Review,
    ReviewComment,
    SelfAssessment,
    SelfRating,
    Strength,
    Suitability,
)
from notifications.models import Notification
from portfolios.models import (
    AttendanceDay,
    ConfidentialityConfirmation,
    ConfidentialName,
    DirectObservation,
    Evidence,
    EvidenceComment,
    EvidenceFile,
    EvidenceMapping,
    FeedbackRequest,
    LearningAgreement,
    LearningGoal,
    ObservationFeedback,
    PendingUpload,
    Placement,
    PlacementStatusChange,
    ServiceUserFeedback,
    SupervisionRecord,
)
from portfolios.models.immutability import anonymising
from privacy.models import Anonymisation

User = get_user_model()

# A placement is finished for good only in these states (a deferred one may start again).
FINAL_STATUSES = (Placement.Status.RATIFIED, Placement.Status.TERMINATED)
REMOVED_TITLE = "Removed after the retention period"

AGREEMENT_TEXTS = (
    "amendment_reason",
    "supervision_frequency",
    "supervision_length",
    "induction",
    "study_days",
    "workload",
    "concerns_process",
    "supervisor_role",
)
REVIEW_TEXTS = (
    "summary",
    "amendment_reason",
    "recommendation_justification",
    "no_concern_reason",
    "student_comment",
    "return_reason",
)


def retention_cutoff(*, today: datetime.date | None = None, years: int | None = None):
    """Placements that ended before this date are past the retention period."""
    years = settings.RETENTION_YEARS if years is None else years
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February, in a year that has none
        return today.replace(year=today.year - years, day=28)


def placements_due(*, cutoff: datetime.date) -> models.QuerySet[Placement]:
    return Placement.objects.filter(
        end_date__lt=cutoff, status__in=FINAL_STATUSES, anonymisation__isnull=True
    ).order_by("end_date", "pk")


def _blank(queryset: models.QuerySet, *fields: str) -> int:
    """Blank the given texts on the rows that still hold any; returns how many rows changed."""
    holding = Q()
    for field in fields:
        holding |= ~Q(**{field: ""})
    return queryset.filter(holding).update(**dict.fromkeys(fields, ""))


def _delete(queryset: models.QuerySet) -> int:
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def _delete_history(model: type[models.Model], **lookup) -> int:
    return model.history.model.objects.filter(**lookup).delete()[0]


def _delete_stored_files(queryset: models.QuerySet) -> int:
    """Delete the rows now and their stored files once the transaction commits, so a failure
    (or a dry run) keeps both."""
    names = [(f.file.storage, f.file.name) for f in queryset if f.file]
    count = _delete(queryset)

    def remove():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(remove)
    return count


def _anonymise_evidence(placement: Placement) -> Counter:
    evidence = Evidence.objects.filter(placement=placement)
    of_evidence = {"evidence__placement": placement}
    done = Counter()
    done["evidence files"] = _delete_stored_files(EvidenceFile.objects.filter(**of_evidence))
    done["evidence files"] += _delete_stored_files(
        PendingUpload.objects.filter(placement=placement)
    )
    done["comments"] = _delete(EvidenceComment.objects.filter(**of_evidence))
    done["confirmations"] = _delete(ConfidentialityConfirmation.objects.filter(**of_evidence))
    done["observation feedback"] = _delete(
        ObservationFeedback.objects.filter(observation__evidence__placement=placement)
    )
    done["observations"] = _blank(
        DirectObservation.objects.filter(**of_evidence),
        "observer_name",
        "planning_notes",
        "observation_record",
    )
    done["supervision records"] = _blank(
        SupervisionRecord.objects.filter(**of_evidence),
        "attendees",
        "agenda",
        "notes",
        "agreed_actions",
    )
    done["service user feedback"] = _blank(
        ServiceUserFeedback.objects.filter(**of_evidence),
        "went_well",
        "could_improve",
        "given_name",
    )
    done["feedback links"] = _blank(
        FeedbackRequest.objects.filter(placement=placement), "work_description"
    )
    done["mapping notes"] = _blank(EvidenceMapping.objects.filter(**of_evidence), "note")
    done["evidence items"] = evidence.exclude(
        title=REMOVED_TITLE, reflection="", review_comment=""
    ).update(title=REMOVED_TITLE, reflection="", review_comment="")
    done["history rows"] = _delete_history(Evidence, placement_id=placement.pk)
    return done


def _anonymise_assessment(placement: Placement) -> Counter:
    reviews = Review.objects.filter(placement=placement)
    review_ids = list(reviews.values_list("pk", flat=True))
    concerns = Concern.objects.filter(placement=placement)
    done = Counter()
    done["review comments"] = _delete(ReviewComment.objects.filter(review__in=review_ids))
    done["review texts"] = _blank(reviews, *REVIEW_TEXTS)
    done["review texts"] += _blank(Judgement.objects.filter(review__in=review_ids), "narrative")
    done["review texts"] += _blank(Strength.objects.filter(review__in=review_ids), "text")
    done["review texts"] += _blank(Suitability.objects.filter(review__in=review_ids), "rationale")
    done["self-assessment texts"] = _blank(
        SelfRating.objects.filter(self_assessment__placement=placement), "narrative"
    )
    done["concern texts"] = _blank(concerns, "description", "outcome_note")
    done["concern texts"] += _blank(ActionTarget.objects.filter(concern__in=concerns), "target")
    history = Counter(
        {
            Review: _delete_history(Review, placement_id=placement.pk),
            Judgement: _delete_history(Judgement, review_id__in=review_ids),
            Strength: _delete_history(Strength, review_id__in=review_ids),
            Suitability: _delete_history(Suitability, review_id__in=review_ids),
            Concern: _delete_history(Concern, placement_id=placement.pk),
            SelfRating: _delete_history(
                SelfRating,
                self_assessment_id__in=SelfAssessment.objects.filter(placement=placement).values(
                    "pk"
                ),
            ),
        }
    )
    done["history rows"] = history.total()
    return done


def _anonymise_placement_records(placement: Placement) -> Counter:
    agreements = LearningAgreement.objects.filter(placement=placement)
    done = Counter()
    done["names kept out"] = _delete(ConfidentialName.objects.filter(placement=placement))
    done["attendance notes"] = _blank(
        AttendanceDay.objects.filter(placement=placement), "absence_reason"
    )
    done["agreement texts"] = _blank(agreements, *AGREEMENT_TEXTS)
    done["agreement texts"] += _blank(LearningGoal.objects.filter(agreement__in=agreements), "text")
    done["status change reasons"] = _blank(
        PlacementStatusChange.objects.filter(placement=placement), "reason"
    )
    done["history rows"] = _delete_history(
        AttendanceDay, placement_id=placement.pk
    ) + _delete_history(LearningAgreement, placement_id=placement.pk)
    return done


@dataclasses.dataclass
class Outcome:
    """What one anonymisation did (or, in a dry run, would do)."""

    placement: Placement | None
    user: User | None
    counts: dict[str, int]


class _DryRun(Exception):
    """Raised to roll back a dry run once it has counted what it would change."""


def placement_anonymise(*, placement: Placement, retention_years: int) -> Outcome:
    """Anonymise one placement past its retention period and record it. Run again, it finds
    the record and changes nothing."""
    with transaction.atomic(), anonymising():
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        if Anonymisation.objects.filter(placement=placement).exists():
            return Outcome(placement, None, {})
        done = (
            _anonymise_evidence(placement)
            + _anonymise_assessment(placement)
            + _anonymise_placement_records(placement)
        )
        counts = {kind: n for kind, n in sorted(done.items()) if n}
        Anonymisation.objects.create(
            placement=placement, retention_years=retention_years, counts=counts
        )
    return Outcome(placement, None, counts)


def accounts_due(*, cutoff: datetime.date) -> models.QuerySet:
    """Accounts nothing needs any more: every placement they are on (in any role) has been
    anonymised, they belong to no university's staff, are not administrators, and have not
    signed in, nor been created, since the cutoff."""
    moment = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    open_placement = Placement.objects.filter(anonymisation__isnull=True).filter(
        Q(student=models.OuterRef("pk"))
        | Q(educator=models.OuterRef("pk"))
        | Q(supervisor=models.OuterRef("pk"))
        | Q(tutor=models.OuterRef("pk"))
    )
    return (
        User.objects.filter(is_staff=False, is_superuser=False, created_at__lt=moment)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=moment))
        .filter(universities__isnull=True, anonymisation__isnull=True)
        .exclude(models.Exists(open_placement))
        .order_by("pk")
    )


def account_anonymise(*, user: User, retention_years: int) -> Outcome:
    """Replace an account's name and address and close it. Its rows stay, so who signed what
    remains linked, but to nobody nameable; the signed PDFs still carry the names they were
    signed with, as a university must keep them."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if Anonymisation.objects.filter(user=user).exists():
            return Outcome(None, user, {})
        email = user.email
        counts = {"accounts": 1}
        logins = sum(
            model.objects.filter(username__iexact=email).delete()[0]
            for model in (AccessAttempt, AccessFailureLog, AccessLog)
        )
        if logins:
            counts["login records"] = logins
        # What they were told and when: delivery records that name the people they concerned.
        notices = Notification.objects.filter(recipient=user).delete()[0]
        if notices:
            counts["notifications"] = notices
        user.first_name = user.last_name = ""
        user.email = f"anonymised-{user.pk}@anonymised.invalid"
        user.is_active = False
        user.set_unusable_password()
        user.save()
        Anonymisation.objects.create(user=user, retention_years=retention_years, counts=counts)
    return Outcome(None, user, counts)


def retention_apply(
    *, today: datetime.date | None = None, years: int | None = None, dry_run: bool = False
) -> list[Outcome]:
    """Anonymise every placement past the retention period, then every account nothing needs
    any more, yielding what each did. A dry run does it all and rolls it back (stored files
    are deleted only on commit, so they stay too)."""
    years = settings.RETENTION_YEARS if years is None else years
    cutoff = retention_cutoff(today=today, years=years)
    outcomes: list[Outcome] = []
    try:
        with transaction.atomic():
            for placement in placements_due(cutoff=cutoff):
                outcomes.append(placement_anonymise(placement=placement, retention_years=years))
            for user in accounts_due(cutoff=cutoff):
                outcomes.append(account_anonymise(user=user, retention_years=years))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return outcomes
