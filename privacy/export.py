"""Everything held about one person, as a ZIP with a manifest (a subject access request).

It holds what is theirs or about them: their account and roles, each placement they are on and
in what role, what they wrote (evidence with its files, comments, reviews they signed, feedback,
concerns they raised), what is recorded about them as a student (the reviews, signed reports,
concerns, attendance and agreements of their own placements), their sign-in attempts, and the
history of changes they made (what changed and when, not the rows' contents). Another person's
writing appears only where it is about this person: a student's export holds the educator's
review of them, an educator's holds the reviews they wrote, never the student's evidence.
"""

import dataclasses
import hashlib
import json
import zipfile
from collections.abc import Iterable
from typing import BinaryIO

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from assessments.models import (
    ActionTarget,
    Concern,
    Judgement,
    ReportDownload,
    Review,
    ReviewComment,
    SelfRating,
    SignedReport,
    Strength,
    Suitability,
)
from notifications.models import Notification
from portfolios.models import (
    AgreementSignature,
    AttendanceDay,
    DirectObservation,
    Evidence,
    EvidenceComment,
    EvidenceFile,
    EvidenceMapping,
    FeedbackRequest,
    LearningGoal,
    ObservationFeedback,
    Placement,
    PlacementStatusChange,
    SupervisionRecord,
)

ROLES = ("student", "educator", "supervisor", "tutor")
LOGIN_FIELDS = ("attempt_time", "ip_address", "user_agent", "path_info")


@dataclasses.dataclass
class _Archive:
    zip: zipfile.ZipFile
    records: dict[str, int] = dataclasses.field(default_factory=dict)
    files: list[dict] = dataclasses.field(default_factory=list)

    def add_records(self, kind: str, rows: Iterable[dict]) -> None:
        rows = list(rows)
        self.records[kind] = len(rows)
        self.add_bytes(f"{kind}.json", _json(rows))

    def add_bytes(self, path: str, data: bytes) -> None:
        self.zip.writestr(path, data)
        digest = hashlib.sha256(data).hexdigest()
        self.files.append({"path": path, "size": len(data), "sha256": digest})

    def add_stored(self, path: str, field) -> None:
        with field.open("rb") as handle:
            self.add_bytes(path, handle.read())


def _json(value) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _rows(queryset: QuerySet, *fields: str) -> list[dict]:
    return list(queryset.order_by("pk").values(*fields))


def _account(user: User) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "universities": sorted(user.universities.values_list("name", flat=True)),
    }


def _placements(user: User) -> list[dict]:
    on = Q()
    for role in ROLES:
        on |= Q(**{role: user})
    rows = []
    for placement in Placement.objects.filter(on).select_related("programme").order_by("pk"):
        rows.append(
            {
                "id": placement.pk,
                "roles": [r for r in ROLES if getattr(placement, f"{r}_id") == user.pk],
                "setting": placement.setting_name,
                "programme": str(placement.programme),
                "stage": placement.stage,
                "start_date": placement.start_date,
                "end_date": placement.end_date,
                "required_days": placement.required_days,
                "days_completed": placement.days_completed,
                "status": placement.status,
            }
        )
    return rows


def _evidence(archive: _Archive, user: User) -> None:
    written = Evidence.objects.filter(created_by=user)
    archive.add_records(
        "evidence",
        _rows(
            written,
            "id",
            "placement_id",
            "kind",
            "title",
            "practice_date",
            "reflection",
            "status",
            "submitted_at",
            "review_comment",
        ),
    )
    archive.add_records(
        "evidence_mappings",
        _rows(
            EvidenceMapping.objects.filter(evidence__in=written),
            "evidence_id",
            "domain__name",
            "note",
        ),
    )
    archive.add_records(
        "observations",
        _rows(
            DirectObservation.objects.filter(evidence__in=written),
            "evidence_id",
            "observer",
            "observer_name",
            "planning_notes",
            "observation_record",
        ),
    )
    archive.add_records(
        "supervision_records",
        _rows(
            SupervisionRecord.objects.filter(evidence__in=written),
            "evidence_id",
            "attendees",
            "agenda",
            "notes",
            "agreed_actions",
            "confirmed_at",
        ),
    )
    uploaded = EvidenceFile.objects.filter(uploaded_by=user).order_by("pk")
    rows = []
    for item in uploaded:
        path = f"files/{item.pk}{item.extension}"
        archive.add_stored(path, item.file)
        rows.append(
            {
                "id": item.pk,
                "evidence_id": item.evidence_id,
                "name": item.original_name,
                "path": path,
                "sha256": item.sha256,
                "uploaded_at": item.created_at,
            }
        )
    archive.add_records("evidence_files", rows)


def _writing(archive: _Archive, user: User) -> None:
    archive.add_records(
        "comments",
        [
            *_rows(
                EvidenceComment.objects.filter(author=user), "evidence_id", "text", "created_at"
            ),
            *_rows(ReviewComment.objects.filter(author=user), "review_id", "text", "created_at"),
        ],
    )
    archive.add_records(
        "observation_feedback",
        _rows(
            ObservationFeedback.objects.filter(written_by=user),
            "observation_id",
            "domain__name",
            "text",
            "created_at",
        ),
    )
    archive.add_records(
        "feedback_links",
        _rows(
            FeedbackRequest.objects.filter(created_by=user),
            "id",
            "placement_id",
            "work_description",
            "created_at",
            "used_at",
        ),
    )
    archive.add_records(
        "agreement_signatures",
        _rows(AgreementSignature.objects.filter(user=user), "agreement_id", "role", "signed_at"),
    )
    archive.add_records(
        "status_changes",
        _rows(
            PlacementStatusChange.objects.filter(actor=user),
            "placement_id",
            "from_status",
            "to_status",
            "reason",
            "created_at",
        ),
    )


def _reviews(archive: _Archive, user: User) -> None:
    """Reviews they signed in any capacity, and the signed reviews of their own placements."""
    reviews = Review.objects.filter(
        Q(signed_by=user)
        | Q(countersigned_by=user)
        | Q(panel_by=user)
        | Q(placement__student=user, locked_at__isnull=False)
    )
    archive.add_records(
        "reviews",
        _rows(
            reviews,
            "id",
            "placement_id",
            "kind",
            "version",
            "status",
            "summary",
            "midpoint_outcome",
            "recommendation",
            "recommendation_justification",
            "signed_at",
            "student_comment",
            "acknowledged_at",
            "countersigned_at",
            "panel_at",
            "return_reason",
        ),
    )
    archive.add_records(
        "judgements",
        _rows(
            Judgement.objects.filter(review__in=reviews),
            "review_id",
            "domain__name",
            "grade__label",
            "narrative",
        ),
    )
    archive.add_records(
        "strengths", _rows(Strength.objects.filter(review__in=reviews), "review_id", "text")
    )
    archive.add_records(
        "suitability",
        _rows(
            Suitability.objects.filter(review__in=reviews),
            "review_id",
            "practice_area__name",
            "rating",
            "rationale",
        ),
    )
    reports = SignedReport.objects.filter(review__placement__student=user).order_by("version")
    rows = []
    for report in reports:
        path = f"reports/{report.review.placement_id}-v{report.version}.pdf"
        archive.add_stored(path, report.pdf)
        rows.append(
            {"review_id": report.review_id, "version": report.version, "event": report.event}
            | {"path": path, "sha256": report.sha256, "created_at": report.created_at}
        )
    archive.add_records("signed_reports", rows)


def _as_student(archive: _Archive, user: User) -> None:
    own = Q(placement__student=user)
    concerns = Concern.objects.filter(own | Q(raised_by=user))
    archive.add_records(
        "concerns",
        _rows(
            concerns,
            "id",
            "placement_id",
            "description",
            "review_date",
            "outcome",
            "outcome_note",
            "created_at",
        ),
    )
    archive.add_records(
        "action_targets",
        _rows(
            ActionTarget.objects.filter(concern__in=concerns),
            "concern_id",
            "domain__name",
            "target",
        ),
    )
    archive.add_records(
        "attendance",
        _rows(
            AttendanceDay.objects.filter(own | Q(recorded_by=user) | Q(confirmed_by=user)),
            "placement_id",
            "date",
            "portion",
            "kind",
            "absence_reason",
            "confirmed_at",
        ),
    )
    archive.add_records(
        "self_assessments",
        _rows(
            SelfRating.objects.filter(self_assessment__placement__student=user),
            "self_assessment__placement_id",
            "self_assessment__kind",
            "domain__name",
            "grade__label",
            "narrative",
        ),
    )
    archive.add_records(
        "learning_goals",
        _rows(
            LearningGoal.objects.filter(agreement__placement__student=user),
            "agreement_id",
            "domain__name",
            "text",
        ),
    )


def _logins(user: User) -> list[dict]:
    rows = []
    for model, outcome in (
        (AccessAttempt, "refused"),
        (AccessFailureLog, "refused"),
        (AccessLog, "signed in"),
    ):
        for row in model.objects.filter(username__iexact=user.email).values(*LOGIN_FIELDS):
            rows.append({"outcome": outcome} | row)
    return sorted(rows, key=lambda row: row["attempt_time"])


def _history(user: User) -> list[dict]:
    """Each change they made to a row with history: what kind of row, which, when and how;
    not the row's contents, which may be someone else's."""
    rows = []
    for model in apps.get_models():
        if not model.__name__.startswith("Historical") or not hasattr(model, "history_user"):
            continue
        for row in model.objects.filter(history_user=user).values(
            "history_id", "history_date", "history_type", "id"
        ):
            rows.append(
                {
                    "record": model._meta.verbose_name.removeprefix("historical ").strip(),
                    "object_id": row["id"],
                    "when": row["history_date"],
                    "change": {"+": "created", "~": "changed", "-": "deleted"}[row["history_type"]],
                }
            )
    return sorted(rows, key=lambda row: (row["when"], row["record"]))


def person_export(*, user: User, output: BinaryIO) -> dict:
    """Write the ZIP to `output`; returns its manifest."""
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        archive = _Archive(zipped)
        archive.add_records("account", [_account(user)])
        archive.add_records("placements", _placements(user))
        _evidence(archive, user)
        _writing(archive, user)
        _reviews(archive, user)
        _as_student(archive, user)
        archive.add_records("login_attempts", _logins(user))
        archive.add_records("history", _history(user))
        archive.add_records(
            "notifications",
            _rows(
                Notification.objects.filter(recipient=user),
                "event",
                "link",
                "context",
                "status",
                "sent_at",
                "created_at",
            ),
        )
        archive.add_records(
            "report_downloads",
            _rows(ReportDownload.objects.filter(user=user), "kind", "description", "created_at"),
        )
        manifest = {
            "person": user.pk,
            "generated_at": timezone.now(),
            "records": archive.records,
            "files": archive.files,
        }
        zipped.writestr("manifest.json", _json(manifest))
    return manifest
