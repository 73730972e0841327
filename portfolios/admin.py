from django.contrib import admin
from django.core.exceptions import PermissionDenied
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from portfolios.models import (
    AgreementSignature,
    AttendanceDay,
    CapabilityFramework,
    CohortUpload,
    ConfidentialityConfirmation,
    ConfidentialName,
    DirectObservation,
    Domain,
    Evidence,
    EvidenceComment,
    EvidenceFile,
    EvidenceMapping,
    FeedbackRequest,
    Grade,
    GradingScale,
    LearningAgreement,
    LearningGoal,
    LevelDescriptor,
    ObservationFeedback,
    PendingUpload,
    Placement,
    PlacementGroupObjectPermission,
    PlacementStatusChange,
    PlacementUserObjectPermission,
    PlacementWriteReopening,
    PracticeArea,
    Programme,
    ServiceUserFeedback,
    StudentLevel,
    SupervisionRecord,
    University,
)


class LockAwareHistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's "revert" form saves whatever it is sent; only let it save
    what this admin could change on its ordinary page (never a locked row)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _locked(obj) -> bool:
    """Whether the stored row is locked (see portfolios.models.immutability)."""
    return obj is not None and type(obj)._base_manager.filter(obj.locked_q(), pk=obj.pk).exists()


class ReadOnlyWhenLockedMixin:
    """A locked row is read-only here too. On an inline, `obj` is the parent row, whose lock
    covers the inline's rows: the domains of a framework in use, the grades of its scale.
    Adding a row under a locked parent from its own add page is refused by the model, with
    the reason shown on the form."""

    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


class _ReadOnlyWhenLockedAdmin(ReadOnlyWhenLockedMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return admin.ModelAdmin.has_add_permission(self, request)


class DomainInline(ReadOnlyWhenLockedMixin, admin.TabularInline):
    model = Domain
    extra = 0


class StudentLevelInline(ReadOnlyWhenLockedMixin, admin.TabularInline):
    model = StudentLevel
    extra = 0


@admin.register(CapabilityFramework)
class CapabilityFrameworkAdmin(_ReadOnlyWhenLockedAdmin):
    """A framework version that a placement uses is frozen: a change is a new version."""

    list_display = ["name", "code", "version", "domain_word", "educator_title"]
    inlines = [StudentLevelInline, DomainInline]


@admin.register(Domain)
class DomainAdmin(_ReadOnlyWhenLockedAdmin):
    list_display = ["name", "framework", "order", "code"]
    list_filter = ["framework"]


@admin.register(StudentLevel)
class StudentLevelAdmin(_ReadOnlyWhenLockedAdmin):
    list_display = ["name", "framework", "order", "assessed_at"]
    list_filter = ["framework"]


@admin.register(LevelDescriptor)
class LevelDescriptorAdmin(_ReadOnlyWhenLockedAdmin):
    list_display = ["domain", "level"]
    list_filter = ["level__framework", "level"]
    list_select_related = ["domain", "level"]


class GradeInline(ReadOnlyWhenLockedMixin, admin.TabularInline):
    model = Grade
    extra = 0


@admin.register(GradingScale)
class GradingScaleAdmin(_ReadOnlyWhenLockedAdmin):
    """A grading scale that a placement uses is frozen: a change is a new scale."""

    list_display = ["name", "code", "pass_value"]
    inlines = [GradeInline]


@admin.register(Grade)
class GradeAdmin(_ReadOnlyWhenLockedAdmin):
    list_display = ["label", "scale", "value"]
    list_filter = ["scale"]


@admin.register(PracticeArea)
class PracticeAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "country"]
    filter_horizontal = ["members"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "award", "university", "framework", "grading_scale"]
    list_filter = ["university"]
    list_select_related = ["university", "framework", "grading_scale"]
    filter_horizontal = ["practice_areas"]
    fieldsets = [
        (None, {"fields": ["university", "name", "award", "framework", "grading_scale"]}),
        (
            "Sign-off rules",
            {
                "description": "What a final review must meet before the practice educator "
                "can sign it (see docs/assessment.md).",
                "fields": [
                    "min_narrative_words",
                    "min_observations",
                    "min_educator_observations",
                    "days_tolerance",
                    "concern_notice_days",
                    "practice_areas",
                ],
            },
        ),
        ("Panel", {"fields": ["moderation_pass_share"]}),
    ]


class PlacementStatusChangeInline(admin.TabularInline):
    model = PlacementStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(GuardedModelAdmin, LockAwareHistoryAdmin):
    """Read-mostly: people and status change through services, which keep permissions and
    the status trail right, so the admin shows them but does not edit them."""

    list_display = ["student", "educator", "programme", "stage", "status", "start_date"]
    list_filter = ["status", "stage", "programme__university", "programme"]
    list_select_related = ["student", "educator", "programme__university"]
    search_fields = ["student__email", "student__last_name", "educator__email", "setting_name"]
    readonly_fields = [
        "student",
        "educator",
        "supervisor",
        "tutor",
        "programme",
        "framework",
        "grading_scale",
        "status",
        "days_completed",
    ]
    inlines = [PlacementStatusChangeInline]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert would bring back old people, status and days completed behind the
        # services' backs (days are recounted from the attendance log, not kept in history).
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Once a placement has started it holds a record the university keeps (signed
        # reviews, the agreement, attendance); only a planned one can be deleted here.
        if obj is not None and obj.status != Placement.Status.PLANNED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AttendanceDay)
class AttendanceDayAdmin(LockAwareHistoryAdmin):
    """Read-only: the log changes only through portfolios.services.attendance, which recounts
    the placement's days completed in the same transaction."""

    list_display = ["date", "placement", "kind", "portion", "confirmed_by", "confirmed_at"]
    list_filter = ["kind", "portion"]
    list_select_related = ["placement__student", "confirmed_by"]
    search_fields = ["placement__student__email", "placement__student__last_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlacementWriteReopening)
class PlacementWriteReopeningAdmin(admin.ModelAdmin):
    list_display = ["placement", "actor", "days", "open_until", "created_at"]
    list_select_related = ["placement__student", "actor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(PlacementStatusChange)
class PlacementStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["placement", "from_status", "to_status", "actor", "created_at"]
    list_select_related = ["placement__student", "actor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class EvidenceMappingInline(admin.TabularInline):
    model = EvidenceMapping
    extra = 0

    def has_add_permission(self, request, obj=None):
        return obj is None or obj.locked_at is None

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.locked_at is None) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.locked_at is None) and super().has_delete_permission(
            request, obj
        )


class EvidenceFileInline(admin.TabularInline):
    model = EvidenceFile
    extra = 0
    fields = ["original_name", "content_type", "size", "sha256", "active_content"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        # Files come in only through the upload checks in portfolios.services.evidence.
        return False


@admin.register(Evidence)
class EvidenceAdmin(LockAwareHistoryAdmin):
    list_display = ["title", "kind", "status", "placement", "practice_date", "locked_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["placement__student"]
    search_fields = ["title", "placement__student__email"]
    readonly_fields = ["placement", "created_by", "locked_at", "verified_by", "verified_at"]
    inlines = [EvidenceMappingInline, EvidenceFileInline]

    def has_change_permission(self, request, obj=None):
        # Evidence a signed review rests on is read-only everywhere, the admin included.
        if obj is not None and obj.locked_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.locked_at is not None:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "evidence", "content_type", "size", "created_at"]
    list_select_related = ["evidence"]
    readonly_fields = [
        "evidence",
        "file",
        "original_name",
        "content_type",
        "extension",
        "size",
        "sha256",
        "active_content",
        "uploaded_by",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(EvidenceComment)
class EvidenceCommentAdmin(admin.ModelAdmin):
    list_display = ["evidence", "author", "created_at"]
    list_select_related = ["evidence", "author"]


@admin.register(ConfidentialName)
class ConfidentialNameAdmin(admin.ModelAdmin):
    list_display = ["name", "placement"]
    list_select_related = ["placement__student"]


@admin.register(ConfidentialityConfirmation)
class ConfidentialityConfirmationAdmin(admin.ModelAdmin):
    list_display = ["evidence", "confirmed_by", "created_at"]
    list_select_related = ["evidence", "confirmed_by"]


class ObservationFeedbackInline(admin.TabularInline):
    model = ObservationFeedback
    extra = 0


@admin.register(DirectObservation)
class DirectObservationAdmin(admin.ModelAdmin):
    list_display = ["evidence"]
    list_select_related = ["evidence"]
    inlines = [ObservationFeedbackInline]


@admin.register(SupervisionRecord)
class SupervisionRecordAdmin(admin.ModelAdmin):
    list_display = ["evidence", "attendees", "confirmed_by", "confirmed_at"]
    list_select_related = ["evidence", "confirmed_by"]


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(admin.ModelAdmin):
    list_display = ["work_description", "placement", "created_by", "expires_at", "used_at"]
    list_select_related = ["placement__student", "created_by"]
    readonly_fields = ["token_hash", "evidence"]


@admin.register(ServiceUserFeedback)
class ServiceUserFeedbackAdmin(admin.ModelAdmin):
    """The person's own words: shown, never edited."""

    list_display = ["evidence", "relationship", "listened", "respected", "consent_given_at"]
    list_select_related = ["evidence"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(PendingUpload)
class PendingUploadAdmin(admin.ModelAdmin):
    list_display = ["original_name", "owner", "placement", "size", "created_at"]
    list_select_related = ["owner", "placement__student"]
    readonly_fields = ["owner", "placement", "file", "sha256"]

    def has_add_permission(self, request):
        return False


class _ReadOnlyPermissionAdmin(admin.ModelAdmin):
    """Object permissions are granted only by portfolios.permissions, inside the services;
    the admin shows them so an administrator can answer "who can see this placement?"."""

    list_display = ["content_object", "permission"]
    list_select_related = ["content_object__student", "permission"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PlacementUserObjectPermission)
class PlacementUserObjectPermissionAdmin(_ReadOnlyPermissionAdmin):
    list_display = ["user", *_ReadOnlyPermissionAdmin.list_display]
    list_select_related = ["user", *_ReadOnlyPermissionAdmin.list_select_related]


@admin.register(PlacementGroupObjectPermission)
class PlacementGroupObjectPermissionAdmin(_ReadOnlyPermissionAdmin):
    list_display = ["group", *_ReadOnlyPermissionAdmin.list_display]
    list_select_related = ["group", *_ReadOnlyPermissionAdmin.list_select_related]


@admin.register(EvidenceMapping)
class EvidenceMappingAdmin(admin.ModelAdmin):
    list_display = ["evidence", "domain"]
    list_select_related = ["evidence", "domain"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.evidence.locked_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.evidence.locked_at is not None:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ObservationFeedback)
class ObservationFeedbackAdmin(admin.ModelAdmin):
    list_display = ["observation", "domain", "written_by"]
    list_select_related = ["observation__evidence", "domain", "written_by"]


# --- The learning agreement -------------------------------------------------------------------
# Written, signed and amended through portfolios.services.agreements. Once anyone has signed a
# version it is read-only here too: a change is an amendment with a reason, made in the app.


def _agreement_editable(agreement: LearningAgreement | None) -> bool:
    return agreement is None or (
        agreement.status == LearningAgreement.Status.DRAFT and not agreement.signatures.exists()
    )


class LearningGoalInline(admin.TabularInline):
    model = LearningGoal
    extra = 0

    def has_add_permission(self, request, obj=None):
        return _agreement_editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _agreement_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _agreement_editable(obj) and super().has_delete_permission(request, obj)


class AgreementSignatureInline(admin.TabularInline):
    model = AgreementSignature
    extra = 0
    can_delete = False
    fields = ["role", "user", "signed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LearningAgreement)
class LearningAgreementAdmin(LockAwareHistoryAdmin):
    list_display = ["placement", "version", "status", "signed_at", "created_by"]
    list_filter = ["status"]
    list_select_related = ["placement__student", "created_by"]
    search_fields = ["placement__student__email", "placement__student__last_name"]
    readonly_fields = [
        "placement",
        "version",
        "previous",
        "amendment_reason",
        "status",
        "created_by",
        "signed_at",
    ]
    inlines = [LearningGoalInline, AgreementSignatureInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return _agreement_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _agreement_editable(obj) and super().has_delete_permission(request, obj)


@admin.register(LearningGoal)
class LearningGoalAdmin(admin.ModelAdmin):
    list_display = ["agreement", "domain"]
    list_select_related = ["agreement__placement__student", "domain"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not _agreement_editable(obj.agreement):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not _agreement_editable(obj.agreement):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(admin.ModelAdmin):
    """Signatures are made only by the person signing, in the app."""

    list_display = ["agreement", "role", "user", "signed_at"]
    list_select_related = ["agreement", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CohortUpload)
class CohortUploadAdmin(admin.ModelAdmin):
    """The record of each cohort import: who, for which university, what it created."""

    list_display = ["original_name", "university", "uploaded_by", "created_at", "imported_at"]
    list_select_related = ["university", "uploaded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
