from django.contrib import admin
from django.urls import include, path

from assessments.report.views import verify
from portfolios.views import home

urlpatterns = [
    path("", home, name="home"),
    path("verify/", verify, name="verify"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("notifications.urls")),
    path("", include("portfolios.urls")),
    path("", include("assessments.urls")),
    path("admin/", admin.site.urls),
]
