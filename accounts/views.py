from django.conf import settings
from django.contrib.auth import views as auth_views

from accounts.forms import LoginForm
from accounts.throttling import KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_MAX_AGE, known_device_token


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # This browser has proved it knows the password, so the account's slow-down (for
        # attempts from many addresses) does not apply to it (accounts/throttling.py).
        response.set_cookie(
            KNOWN_DEVICE_COOKIE,
            known_device_token(form.get_user().get_username()),
            max_age=KNOWN_DEVICE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response
