from django.contrib import admin
from django.core.exceptions import PermissionDenied

from assessments.models import (
    ActionTarget,
    Concern,
    Judgement,
    JudgementEvidence,
    LearningNeed,
    ModerationSample,
    ModerationSampleItem,
    PanelMeeting,
    ReportDownload,
    Review,
    ReviewComment,
    SelfAssessment,
    SelfRating,
    ShareLink,
    SignedReport,
    Strength,
    Suitability,
)
from portfolios.admin import LockAwareHistoryAdmin


def _review_of(obj) -> Review | None:
    if isinstance(obj, Review):
        return obj
    if isinstance(obj, JudgementEvidence):
        return obj.judgement.review
    return getattr(obj, "review", None)


class LockedWithReviewMixin:
    """A signed review and everything in it are read-only here too; a correction is an
    amendment, made by the educator with a reason. Rows are added only through the services,
    which check the lock."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        review = _review_of(obj)
        if review is not None and review.locked_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        review = _review_of(obj)
        if review is not None and review.locked_at is not None:
            return False
        return super().has_delete_permission(request, obj)


class JudgementInline(LockedWithReviewMixin, admin.TabularInline):
    """Shown on its review's page; `obj` here is the review."""

    model = Judgement
    extra = 0
    fields = ["domain", "grade", "narrative"]
    readonly_fields = ["domain"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(LockedWithReviewMixin, LockAwareHistoryAdmin):
    list_display = ["__str__", "placement", "status", "recommendation", "signed_at"]
    list_filter = ["kind", "status", "recommendation"]
    list_select_related = ["placement__student"]
    readonly_fields = [
        "placement",
        "kind",
        "version",
        "previous",
        "status",
        "signed_by",
        "signed_at",
        "countersigned_by",
        "countersigned_at",
        "countersign_comment",
        "panel_by",
        "panel_at",
        "panel_meeting",
        "panel_note",
        "acknowledged_at",
        "supervisor_statement_at",
        "locked_at",
    ]
    inlines = [JudgementInline]

    def has_add_permission(self, request):
        return False


@admin.register(Judgement)
class JudgementAdmin(LockedWithReviewMixin, LockAwareHistoryAdmin):
    list_display = ["domain", "review", "grade"]
    list_select_related = ["domain", "review__placement__student", "grade"]
    readonly_fields = ["review", "domain"]

    def has_add_permission(self, request):
        return False


@admin.register(JudgementEvidence)
class JudgementEvidenceAdmin(LockedWithReviewMixin, admin.ModelAdmin):
    list_display = ["judgement", "evidence", "order"]
    list_select_related = ["judgement__domain", "judgement__review", "evidence"]


@admin.register(Strength)
class StrengthAdmin(LockedWithReviewMixin, LockAwareHistoryAdmin):
    list_display = ["__str__", "review"]
    list_select_related = ["review__placement__student"]


@admin.register(LearningNeed)
class LearningNeedAdmin(LockedWithReviewMixin, LockAwareHistoryAdmin):
    list_display = ["area", "review"]
    list_select_related = ["review__placement__student"]


@admin.register(Suitability)
class SuitabilityAdmin(LockedWithReviewMixin, LockAwareHistoryAdmin):
    list_display = ["practice_area", "rating", "review"]
    list_select_related = ["practice_area", "review__placement__student"]


class SubmittedIsFinalMixin:
    """A submitted self-assessment is final here too; rows are added only through the
    services, which check the student and the review."""

    def has_add_permission(self, request, obj=None):
        return False

    def _submitted(self, obj) -> bool:
        record = obj if isinstance(obj, SelfAssessment) else getattr(obj, "self_assessment", None)
        return record is not None and record.status == SelfAssessment.Status.SUBMITTED

    def has_change_permission(self, request, obj=None):
        return not self._submitted(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._submitted(obj) and super().has_delete_permission(request, obj)


class SelfRatingInline(SubmittedIsFinalMixin, admin.TabularInline):
    model = SelfRating
    extra = 0
    fields = ["domain", "grade", "narrative"]
    readonly_fields = ["domain"]
    can_delete = False


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(SubmittedIsFinalMixin, LockAwareHistoryAdmin):
    list_display = ["__str__", "placement", "status", "submitted_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["placement__student"]
    readonly_fields = ["placement", "kind", "status", "submitted_at"]
    inlines = [SelfRatingInline]


@admin.register(SelfRating)
class SelfRatingAdmin(SubmittedIsFinalMixin, LockAwareHistoryAdmin):
    list_display = ["domain", "self_assessment", "grade"]
    list_select_related = ["domain", "self_assessment__placement__student", "grade"]
    readonly_fields = ["self_assessment", "domain"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["review", "author", "created_at"]
    list_select_related = ["review", "author"]


class ActionTargetInline(admin.TabularInline):
    model = ActionTarget
    extra = 0


@admin.register(Concern)
class ConcernAdmin(LockAwareHistoryAdmin):
    """Outcomes are recorded by the educator or tutor through the service, with a note; the
    sign-off rules rely on them, so the admin shows them but does not change them."""

    list_display = ["__str__", "placement", "outcome", "review_date"]
    list_filter = ["outcome"]
    list_select_related = ["placement__student"]
    inlines = [ActionTargetInline]
    readonly_fields = [
        "placement",
        "raised_by",
        "outcome",
        "outcome_note",
        "outcome_by",
        "outcome_at",
    ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(ActionTarget)
class ActionTargetAdmin(admin.ModelAdmin):
    list_display = ["concern", "domain"]
    list_select_related = ["concern", "domain"]


@admin.register(SignedReport)
class SignedReportAdmin(admin.ModelAdmin):
    """Stored reports never change: shown, never edited or deleted here."""

    list_display = ["__str__", "review", "verification_code", "created_at"]
    list_select_related = ["review__placement__student"]
    readonly_fields = [
        "review",
        "version",
        "event",
        "pdf",
        "sha256",
        "size",
        "verification_code",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportDownload)
class ReportDownloadAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "report", "item_count", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["user", "report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the panel's pages write through services: shown here, never edited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PanelMeeting)
class PanelMeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "university", "created_by"]
    list_filter = ["university"]
    list_select_related = ["university", "created_by"]


class ModerationSampleItemInline(admin.TabularInline):
    model = ModerationSampleItem
    extra = 0
    can_delete = False
    readonly_fields = ["review", "reason", "sampled"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ModerationSample)
class ModerationSampleAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "drawn_by", "drawn_at"]
    list_select_related = ["meeting", "drawn_by"]
    inlines = [ModerationSampleItemInline]


@admin.register(ModerationSampleItem)
class ModerationSampleItemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "sample", "review", "sampled"]
    list_select_related = ["sample__meeting", "review"]


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """The student's links to their development summary. Staff may revoke one (set "revoked
    at"); the token itself is never stored."""

    list_display = ["review", "label", "expires_at", "revoked_at", "times_opened"]
    list_select_related = ["review__placement__student"]
    readonly_fields = [
        "review",
        "created_by",
        "label",
        "token_hash",
        "expires_at",
        "last_opened_at",
        "times_opened",
    ]

    def has_add_permission(self, request):
        return False
