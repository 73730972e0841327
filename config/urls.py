from django.contrib import admin
from django.urls import include, path

from assessments.report.share_views import shared_summary, shared_summary_pdf
from assessments.report.views import verify
from portfolios.views import home

urlpatterns = [
    path("", home, name="home"),
    path("verify/", verify, name="verify"),
    # Public: a student's development summary through a link they made (and can revoke).
    path("share/<str:token>/", shared_summary, name="shared-summary"),
    path("share/<str:token>/summary.pdf", shared_summary_pdf, name="shared-summary-pdf"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("notifications.urls")),
    path("", include("portfolios.urls")),
    path("", include("assessments.urls")),
    path("admin/", admin.site.urls),
]
