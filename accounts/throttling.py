"""Limits on signing in that an attacker cannot turn against the people they target.

- Per address (django-axes): LOGIN_FAILURES_PER_ADDRESS wrong passwords from one client address
  pause signing in from that address for LOGIN_ADDRESS_PAUSE_MINUTES. Nobody else is affected,
  so one password sprayed across many accounts is stopped without locking any account.
- Per account (here): after LOGIN_FAILURES_PER_ACCOUNT failures for one account within that
  window, from any addresses, the account can be tried only once every
  LOGIN_ACCOUNT_DELAY_SECONDS. It is slowed, never locked, and a browser that has signed in to
  the account before (it holds the known-device cookie) is not slowed at all.

Every refusal happens before the password is hashed, so a refused attempt costs a query or two.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

KNOWN_DEVICE_COOKIE = "pp_known_device"
KNOWN_DEVICE_MAX_AGE = 365 * 24 * 60 * 60


def username_for_lockout(request, credentials) -> str | None:
    """The email a login attempt is for, lower-cased as it is when signing in, so that
    "Student@…" and "student@…" share one count of failures."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if username else username


def client_ip(request: HttpRequest) -> str:
    """The client's address. Each of TRUSTED_PROXY_COUNT proxies appends the address it received
    the request from to X-Forwarded-For, so the client's is that many entries from the right;
    entries further left were written by the client and may be forged. With fewer entries than
    proxies, or a malformed one, the connecting address is used.

    (django-ipware's proxy_count expects each proxy to add its own address as well, and gives
    no address at all when a client adds entries, so it is not used.)"""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


class LoginAttemptHandler(AxesDatabaseHandler):
    """axes' database handler, except that a successful sign-in clears only that account's
    failures from that address. axes would clear every failure from the address (the lockout
    key), which would let a sprayer reset their count by signing in to an account of their own."""

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def known_device_token(username: str) -> str:
    return salted_hmac("accounts.known-device", username.strip().lower()).hexdigest()


def is_known_device(request: HttpRequest, username: str) -> bool:
    token = request.COOKIES.get(KNOWN_DEVICE_COOKIE, "")
    return bool(token) and constant_time_compare(token, known_device_token(username))


def account_wait_seconds(*, request: HttpRequest, username: str) -> int:
    """Seconds this attempt to sign in to `username` must still wait; 0 when it may go ahead."""
    if is_known_device(request, username):
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(
        username=username.strip().lower(), attempt_time__gte=since
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (recent["failures"] or 0) < settings.LOGIN_FAILURES_PER_ACCOUNT:
        return 0
    elapsed = (timezone.now() - recent["last"]).total_seconds()
    return max(0, int(settings.LOGIN_ACCOUNT_DELAY_SECONDS - elapsed + 0.999))
