"""Sessions that end after an idle period without a database write on every page."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

# How often, at most, a signed-in person's session is written to move its expiry on.
TOUCH_SECONDS = 60


class SessionKeepAliveMiddleware:
    """Each request keeps the session alive for another SESSION_COOKIE_AGE, as
    SESSION_SAVE_EVERY_REQUEST would, but writes the session at most once a minute: the idle
    limit is kept to within a minute and a page view costs no extra write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(timezone.now().timestamp())
            if now - session.get("_seen", 0) >= TOUCH_SECONDS:
                session["_seen"] = now
        return response


@receiver(user_logged_in, dispatch_uid="accounts-session-seen")
def _seen_at_login(sender, request, user, **kwargs):
    # Signing in writes the session anyway; noting the time then spares the next page a write.
    if request is not None and hasattr(request, "session"):
        request.session["_seen"] = int(timezone.now().timestamp())
