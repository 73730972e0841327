from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts.forms import (
    LimitedPasswordChangeForm,
    LimitedPasswordResetForm,
    LimitedSetPasswordForm,
)
from accounts.views import LoginView
from accounts.views_invitations import invitation_accept, invitation_renew
from accounts.views_profile import professional_details

app_name = "accounts"

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("invitation/new-link/", invitation_renew, name="invitation-renew"),
    path("invitation/<str:token>/", invitation_accept, name="invitation-accept"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("professional-details/", professional_details, name="professional-details"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            form_class=LimitedPasswordChangeForm,
            success_url=reverse_lazy("accounts:password-change-done"),
        ),
        name="password-change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=LimitedPasswordResetForm,
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=LimitedSetPasswordForm,
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
