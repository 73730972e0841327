"""Password reset emails, sent through the task queue like every other email.

Django's PasswordResetView sends its email inside the request; here the form only queues a
notification (with no token), and the worker makes the link when it sends. The token is made
as of the moment the person asked, so a retry sends the very same link, the link expires
PASSWORD_RESET_TIMEOUT after the request however long the mail server was down, and one that
has expired by the time it would be sent is not sent at all.
"""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from notifications.events import Event
from notifications.services import notify_secret_link


class _TokenAsOf(PasswordResetTokenGenerator):
    """Django's reset token, made as of a given moment rather than now: the same moment gives
    the same token, and Django's own check (default_token_generator) accepts it."""

    def __init__(self, moment: datetime.datetime):
        super().__init__()
        self.algorithm = default_token_generator.algorithm
        self.secret = default_token_generator.secret
        self.secret_fallbacks = default_token_generator.secret_fallbacks
        self._moment = timezone.localtime(moment).replace(tzinfo=None)

    def _now(self) -> datetime.datetime:
        return self._moment


@transaction.atomic
def password_reset_request(*, users) -> None:
    """Queue a reset email for each of `users` (those Django's form found for the address)."""
    for user in users:
        notify_secret_link(user=user, event=Event.PASSWORD_RESET)


def password_reset_message(notification) -> EmailMultiAlternatives | None:
    """The reset email for a queued notification (run by the task worker), or None when the
    link would no longer work: the request is older than PASSWORD_RESET_TIMEOUT, or the account
    was switched off or lost its password."""
    user: User = notification.recipient
    if not user.is_active or not user.has_usable_password():
        return None
    if timezone.now() - notification.created_at >= datetime.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT
    ):
        return None
    token = _TokenAsOf(notification.created_at).make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    context = {"email": user.email, "link": f"{settings.SITE_URL}{path}"}
    return EmailMultiAlternatives(
        notification.subject,
        render_to_string("registration/password_reset_email.txt", context),
        None,
        [user.email],
    )
