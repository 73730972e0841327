from django.urls import path

from assessments import panel_views, self_assessment_views, views
from assessments.report import share_views
from assessments.report import views as reports

app_name = "assessments"

urlpatterns = [
    path("placements/<uuid:pk>/reviews/", views.placement_reviews, name="placement-reviews"),
    path("placements/<uuid:pk>/reviews/start/", views.review_start, name="review-start"),
    path("placements/<uuid:pk>/concerns/create/", views.concern_create, name="concern-create"),
    path(
        "placements/<uuid:pk>/self-assessment/<str:kind>/",
        self_assessment_views.self_assessment,
        name="self-assessment",
    ),
    path("reviews/<uuid:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<uuid:pk>/domains/<int:order>/", views.judgement_edit, name="judgement-edit"),
    path(
        "reviews/<uuid:pk>/strengths-and-suitability/",
        views.strengths_suitability,
        name="strengths-suitability",
    ),
    path("reviews/<uuid:pk>/outcome/", views.review_outcome, name="review-outcome"),
    path("reviews/<uuid:pk>/sign/", views.review_sign, name="review-sign"),
    path("reviews/<uuid:pk>/acknowledge/", views.review_acknowledge, name="review-acknowledge"),
    path("reviews/<uuid:pk>/countersign/", views.review_countersign, name="review-countersign"),
    path("reviews/<uuid:pk>/ratify/", views.review_ratify, name="review-ratify"),
    path("reviews/<uuid:pk>/return/", views.review_return, name="review-return"),
    path("reviews/<uuid:pk>/amend/", views.review_amend, name="review-amend"),
    path("reviews/<uuid:pk>/comment/", views.review_comment, name="review-comment"),
    path("reviews/<uuid:pk>/history/", views.review_history, name="review-history"),
    path("strengths/<int:pk>/remove/", views.strength_remove, name="strength-remove"),
    path(
        "reviews/<uuid:pk>/supervisor-statement/",
        views.supervisor_statement,
        name="supervisor-statement",
    ),
    path(
        "learning-needs/<int:pk>/remove/", views.learning_need_remove, name="learning-need-remove"
    ),
    path("suitability/<int:pk>/remove/", views.suitability_remove, name="suitability-remove"),
    path("concerns/<uuid:pk>/", views.concern_detail, name="concern-detail"),
    path("panel/", panel_views.panel_queue, name="panel-queue"),
    path("panel/meetings/create/", panel_views.panel_meeting_create, name="panel-meeting-create"),
    path("panel/meetings/<uuid:pk>/", panel_views.panel_meeting, name="panel-meeting"),
    path(
        "panel/meetings/<uuid:pk>/sample/", panel_views.panel_sample_draw, name="panel-sample-draw"
    ),
    path(
        "panel/meetings/<uuid:pk>/decisions.csv",
        panel_views.panel_meeting_csv,
        name="panel-meeting-csv",
    ),
    path("reports/<uuid:pk>/download/", reports.report_download, name="report-download"),
    path("reviews/<uuid:pk>/report.pdf", reports.review_report, name="review-report"),
    path("reviews/<uuid:pk>/report/", reports.review_report_html, name="review-report-html"),
    path(
        "reviews/<uuid:pk>/development-summary.pdf",
        share_views.development_summary,
        name="development-summary",
    ),
    path("reviews/<uuid:pk>/share-links/", share_views.share_links, name="share-links"),
    path("share-links/<uuid:pk>/revoke/", share_views.share_link_revoke, name="share-link-revoke"),
    path("dashboard/cohort/reports.zip", reports.cohort_reports_zip, name="cohort-reports-zip"),
    path("dashboard/cohort/outcomes.csv", reports.cohort_outcomes_csv, name="cohort-outcomes-csv"),
]
