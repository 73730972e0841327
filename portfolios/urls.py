from django.urls import path

from portfolios import views

app_name = "portfolios"

urlpatterns = [
    path("dashboard/student/", views.dashboard_student, name="dashboard-student"),
    path("dashboard/educator/", views.dashboard_educator, name="dashboard-educator"),
    path("dashboard/cohort/", views.dashboard_cohort, name="dashboard-cohort"),
    path("placements/create/", views.placement_create, name="placement-create"),
    path("placements/<uuid:pk>/", views.placement_detail, name="placement-detail"),
    path("placements/<uuid:pk>/update/", views.placement_update, name="placement-update"),
    path(
        "placements/<uuid:pk>/transition/",
        views.placement_transition,
        name="placement-transition",
    ),
]
