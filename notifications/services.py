"""Telling people what needs them, by email, without ever holding up a page.

`notify` records a Notification inside the caller's transaction and, once that commits, puts
its delivery on the task queue (or leaves it for the person's daily digest). The task sends
it; a mail server that is down or slow costs the worker a retry, never a user a page.
"""

import datetime
import logging
from collections.abc import Mapping
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.events import WORDING, Event
from notifications.models import MailPreference, Notification

logger = logging.getLogger(__name__)

Status = Notification.Status

# A queued notification whose task has not run for this long is put on the queue again by
# `send_digests` (its task may have been lost, say with the queue's server).
STRANDED_AFTER = datetime.timedelta(hours=1)


def notify(
    *,
    user: User,
    event: str,
    link: str,
    context: Mapping[str, str] | None = None,
    once_key: str = "",
) -> Notification | None:
    """Tell `user` that `event` needs them, with a `link` (a path on this site) to where it is
    done. `context` holds exactly the fields the event's sentence names (events.WORDING) and
    nothing else. With `once_key`, a reminder already recorded for the same person, event and
    key is not recorded again (returns None). Call it inside the transaction that makes the
    change: if that rolls back, nobody is told."""
    wording = WORDING.get(event)
    if wording is None or event == Event.DIGEST:
        raise ValueError(f"{event!r} is not an event that notifies anyone.")
    if wording.secret_link:
        raise ValueError(f"A {event} email is queued with notify_secret_link, not notify.")
    context = dict(context or {})
    if set(context) != wording.fields or not all(isinstance(v, str) for v in context.values()):
        raise ValueError(
            f"The {event} notification takes exactly these text fields: "
            f"{', '.join(sorted(wording.fields)) or 'none'} (got {', '.join(sorted(context))})."
        )
    if not link.startswith("/") or link.startswith("//"):
        raise ValueError("A notification's link is a path on this site, starting with '/'.")
    waits = not wording.always_immediate and _prefers_daily(user)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=user,
                event=event,
                link=link,
                context=context,
                once_key=once_key,
                status=Status.WAITING if waits else Status.QUEUED,
                next_attempt_at=None if waits else timezone.now(),
            )
    except IntegrityError:
        if once_key:
            return None
        raise
    if not waits:
        transaction.on_commit(partial(_enqueue, notification.pk))
    return notification


def notify_secret_link(
    *,
    user: User,
    event: str,
    context: Mapping[str, str] | None = None,
    invitation=None,
) -> Notification:
    """Queue an email whose link is a secret: an invitation (give `invitation`) or a password
    reset. Neither the row nor the task's arguments hold a token: the worker makes the link
    when it sends the email, and sends nothing if by then the link would not work (the row is
    then marked cancelled). Sent at once, never in a digest. Call it inside the transaction
    that makes the invitation or receives the request."""
    wording = WORDING.get(event)
    if wording is None or not wording.secret_link:
        raise ValueError(f"{event!r} is not an email with a secret link.")
    context = dict(context or {})
    if set(context) != wording.fields or not all(isinstance(v, str) for v in context.values()):
        raise ValueError(
            f"The {event} notification takes exactly these text fields: "
            f"{', '.join(sorted(wording.fields)) or 'none'} (got {', '.join(sorted(context))})."
        )
    if (event == Event.INVITATION) != (invitation is not None):
        raise ValueError("An invitation email, and only one, names its invitation.")
    notification = Notification.objects.create(
        recipient=user,
        event=event,
        link="",
        context=context,
        invitation=invitation,
        status=Status.QUEUED,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(partial(_enqueue, notification.pk))
    return notification


def _prefers_daily(user: User) -> bool:
    return MailPreference.objects.filter(
        user=user, frequency=MailPreference.Frequency.DAILY
    ).exists()


def _enqueue(notification_id: int, run_after: datetime.datetime | None = None) -> None:
    """Hand delivery to the task queue. If the queue cannot take it, the notification stays
    queued and `send_digests` tries again: nothing is lost and the page is not affected."""
    from notifications.tasks import deliver_notification

    task = deliver_notification
    try:
        if run_after is not None and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(notification_id)
    except Exception:
        logger.exception(
            "Notification %s could not be queued; it will be queued again.", notification_id
        )


def _backoff(attempts: int) -> datetime.timedelta:
    """1, 5, 25 and 125 minutes, then six hours between tries."""
    return datetime.timedelta(minutes=min(5 ** (attempts - 1), 360))


def deliver(*, notification_id: int) -> str:
    """Send one notification (run by the task worker). A failure is recorded on the row and
    tried again later, up to NOTIFICATION_MAX_ATTEMPTS tries; then the row is marked failed,
    for an administrator to see and send again from the admin."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        # Another copy of this task already sent it, or its next try is not due yet.
        if notification is None or notification.status != Status.QUEUED:
            return "nothing to send"
        if notification.next_attempt_at and notification.next_attempt_at > now:
            return "not due yet"
        notification.attempts += 1
        try:
            message = _message(notification)
            if message is not None:
                message.send(fail_silently=False)
        except Exception as exc:
            _record_failure(notification, exc, now)
        else:
            if message is None:
                notification.status = Status.CANCELLED
                notification.last_error = (
                    "Not sent: by the time it was due, its link no longer worked."
                )
            else:
                notification.status = Status.SENT
                notification.sent_at = now
            notification.next_attempt_at = None
        notification.save()
    if notification.status == Status.QUEUED:
        _enqueue(notification.pk, run_after=notification.next_attempt_at)
    return notification.status


def _record_failure(notification: Notification, exc: Exception, now: datetime.datetime) -> None:
    notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning(
        "Notification %s not sent (try %s): %s",
        notification.pk,
        notification.attempts,
        notification.last_error,
    )
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        notification.status = Status.FAILED
        notification.next_attempt_at = None
        return
    from notifications.tasks import deliver_notification

    defers = deliver_notification.get_backend().supports_defer
    # A backend that cannot wait (the immediate one, in tests) tries again at once.
    notification.next_attempt_at = now + _backoff(notification.attempts) if defers else now


def _message(notification: Notification) -> EmailMultiAlternatives | None:
    """The email to send, or None when it carries a secret link that would no longer work."""
    if notification.event == Event.INVITATION:
        from accounts.invitations import invitation_message

        return invitation_message(notification)
    if notification.event == Event.PASSWORD_RESET:
        from accounts.password_reset import password_reset_message

        return password_reset_message(notification)
    items = (
        list(notification.items.order_by("created_at"))
        if notification.event == Event.DIGEST
        else []
    )
    context = {
        "notification": notification,
        "items": items,
        "greeting_name": notification.recipient.first_name,
        "site_url": settings.SITE_URL,
        "preferences_url": f"{settings.SITE_URL}{reverse('notifications:preferences')}",
    }
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=render_to_string("emails/notification.txt", context),
        to=[notification.recipient.email],
    )
    message.attach_alternative(render_to_string("emails/notification.html", context), "text/html")
    return message


def notification_send_again(*, notification: Notification) -> Notification:
    """An administrator sends a failed notification again, with a fresh count of tries."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status != Status.FAILED:
            return notification
        notification.status = Status.QUEUED
        notification.attempts = 0
        notification.next_attempt_at = timezone.now()
        notification.save()
        transaction.on_commit(partial(_enqueue, notification.pk))
    return notification


# --- The daily digest -------------------------------------------------------------------------


def digests_send(*, today: datetime.date | None = None) -> int:
    """Bundle everything waiting for each digest reader into one email, at most one a day.
    Run twice on the same day, the second run sends nothing: what arrived in between waits
    for tomorrow's digest. Returns the number of digests queued."""
    today = today or timezone.localdate()
    _requeue_stranded()
    recipients = (
        Notification.objects.filter(status=Status.WAITING)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(_digest_for(recipient_id, today) for recipient_id in list(recipients))


@transaction.atomic
def _digest_for(recipient_id: int, today: datetime.date) -> bool:
    try:
        with transaction.atomic():
            digest = Notification.objects.create(
                recipient_id=recipient_id,
                event=Event.DIGEST,
                link=reverse("home"),
                digest_date=today,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return False  # today's digest has gone already
    Notification.objects.filter(recipient_id=recipient_id, status=Status.WAITING).update(
        status=Status.IN_DIGEST, digest=digest, updated_at=timezone.now()
    )
    transaction.on_commit(partial(_enqueue, digest.pk))
    return True


def _requeue_stranded() -> None:
    stranded = Notification.objects.filter(
        status=Status.QUEUED, next_attempt_at__lt=timezone.now() - STRANDED_AFTER
    ).values_list("pk", flat=True)
    for pk in stranded:
        _enqueue(pk)


# --- Preferences ------------------------------------------------------------------------------


@transaction.atomic
def mail_preference_set(*, user: User, frequency: str) -> MailPreference:
    """Choose immediate emails or a daily digest. Moving to immediate sends what is waiting."""
    if frequency not in MailPreference.Frequency.values:
        raise ValidationError({"frequency": "Please choose how often you would like email."})
    preference, _ = MailPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    if frequency == MailPreference.Frequency.IMMEDIATE:
        waiting = list(
            Notification.objects.filter(recipient=user, status=Status.WAITING).values_list(
                "pk", flat=True
            )
        )
        Notification.objects.filter(pk__in=waiting).update(
            status=Status.QUEUED, next_attempt_at=timezone.now()
        )
        for pk in waiting:
            transaction.on_commit(partial(_enqueue, pk))
    return preference


def mail_preference_of(*, user: User) -> str:
    return (
        MailPreference.Frequency.DAILY
        if _prefers_daily(user)
        else MailPreference.Frequency.IMMEDIATE
    )
