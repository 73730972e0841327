from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

from accounts.forms_plain import StatedLimitsMixin
from accounts.throttling import account_wait_seconds


class LoginForm(StatedLimitsMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "That email address and password do not match an account. Check both and try again."
        ),
        "inactive": "This account has been switched off. Please ask your placement coordinator.",
        "slowed": (
            "Someone has tried several wrong passwords for this account in the last few "
            "minutes, so it can be tried only once every %(delay)s seconds. Please wait "
            "%(wait)s seconds and try again, or reset your password."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})

    def clean(self):
        # Checked before the password, so a refused attempt costs no hashing and is not counted.
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            wait = account_wait_seconds(request=self.request, username=username)
            if wait:
                raise forms.ValidationError(
                    self.error_messages["slowed"],
                    code="slowed",
                    params={"delay": settings.LOGIN_ACCOUNT_DELAY_SECONDS, "wait": wait},
                )
        return super().clean()


class LimitedPasswordChangeForm(StatedLimitsMixin, PasswordChangeForm):
    """Django's own, with each box's length limit stated beside it like every other form."""


class LimitedPasswordResetForm(StatedLimitsMixin, PasswordResetForm):
    """Django's own, with the email box's length limit stated beside it. It does not send the
    email itself: it queues one (accounts.password_reset), so a slow mail server never holds
    up the page, and the link is made by the task worker."""

    def save(self, **_ignored) -> None:
        from accounts.password_reset import password_reset_request

        password_reset_request(users=list(self.get_users(self.cleaned_data["email"])))


class LimitedSetPasswordForm(StatedLimitsMixin, SetPasswordForm):
    """Django's own, with each box's length limit stated beside it."""


class InvitationRenewalForm(StatedLimitsMixin, forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="The address the invitation was sent to.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
