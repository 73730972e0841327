from django.urls import path

from portfolios.views import (
    agreements,
    attendance,
    cohort_import,
    evidence,
    invitations,
    placements,
    structured,
)

app_name = "portfolios"

urlpatterns = [
    path("dashboard/student/", placements.dashboard_student, name="dashboard-student"),
    path("dashboard/educator/", placements.dashboard_educator, name="dashboard-educator"),
    path("dashboard/cohort/", placements.dashboard_cohort, name="dashboard-cohort"),
    path("placements/create/", placements.placement_create, name="placement-create"),
    path("cohort/import/", cohort_import.cohort_import_upload, name="cohort-import"),
    path(
        "cohort/import/template.csv",
        cohort_import.cohort_import_template,
        name="cohort-import-template",
    ),
    path(
        "cohort/import/<uuid:pk>/",
        cohort_import.cohort_import_preview,
        name="cohort-import-preview",
    ),
    path("invitations/", invitations.invitation_list, name="invitation-list"),
    path(
        "invitations/<uuid:pk>/resend/",
        invitations.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "invitations/<uuid:pk>/revoke/",
        invitations.invitation_revoke,
        name="invitation-revoke",
    ),
    path("placements/<uuid:pk>/", placements.placement_detail, name="placement-detail"),
    path("placements/<uuid:pk>/update/", placements.placement_update, name="placement-update"),
    path(
        "placements/<uuid:pk>/reopen/",
        placements.placement_write_reopen,
        name="placement-write-reopen",
    ),
    path(
        "placements/<uuid:pk>/transition/",
        placements.placement_transition,
        name="placement-transition",
    ),
    path("placements/<uuid:pk>/evidence/", evidence.evidence_list, name="evidence-list"),
    path(
        "placements/<uuid:pk>/evidence/create/",
        evidence.evidence_create,
        name="evidence-create",
    ),
    path("placements/<uuid:pk>/coverage/", evidence.coverage, name="coverage"),
    path("placements/<uuid:pk>/attendance/", attendance.attendance, name="attendance"),
    path(
        "placements/<uuid:pk>/attendance/confirm/",
        attendance.attendance_confirm,
        name="attendance-confirm",
    ),
    path(
        "placements/<uuid:pk>/attendance/<int:day_pk>/remove/",
        attendance.attendance_remove,
        name="attendance-remove",
    ),
    path("placements/<uuid:pk>/agreement/", agreements.agreement_detail, name="agreement-detail"),
    path("placements/<uuid:pk>/agreement/edit/", agreements.agreement_edit, name="agreement-edit"),
    path("placements/<uuid:pk>/agreement/sign/", agreements.agreement_sign, name="agreement-sign"),
    path(
        "placements/<uuid:pk>/agreement/amend/",
        agreements.agreement_amend,
        name="agreement-amend",
    ),
    path(
        "placements/<uuid:pk>/names-to-keep-out/",
        evidence.confidential_names,
        name="confidential-names",
    ),
    path(
        "placements/<uuid:pk>/supervision/create/",
        structured.supervision_create,
        name="supervision-create",
    ),
    path(
        "placements/<uuid:pk>/feedback-links/",
        structured.feedback_requests,
        name="feedback-requests",
    ),
    path("feedback/<str:token>/", structured.feedback_give, name="feedback-give"),
    path(
        "evidence/<uuid:pk>/observation-feedback/",
        structured.observation_feedback,
        name="observation-feedback",
    ),
    path(
        "evidence/<uuid:pk>/supervision/confirm/",
        structured.supervision_confirm,
        name="supervision-confirm",
    ),
    path("evidence/<uuid:pk>/", evidence.evidence_detail, name="evidence-detail"),
    path("evidence/<uuid:pk>/update/", evidence.evidence_update, name="evidence-update"),
    path("evidence/<uuid:pk>/submit/", evidence.evidence_submit, name="evidence-submit"),
    path("evidence/<uuid:pk>/review/", evidence.evidence_review, name="evidence-review"),
    path("evidence/<uuid:pk>/verify/", evidence.evidence_verify, name="evidence-verify"),
    path(
        "evidence/<uuid:pk>/quote/",
        evidence.evidence_feedback_quote,
        name="evidence-feedback-quote",
    ),
    path("evidence/<uuid:pk>/comment/", evidence.evidence_comment, name="evidence-comment"),
    path(
        "evidence/files/<uuid:pk>/",
        evidence.evidence_file_download,
        name="evidence-file-download",
    ),
    path(
        "evidence/files/<uuid:pk>/delete/",
        evidence.evidence_file_delete,
        name="evidence-file-delete",
    ),
]
