"""Invitations: a single-use link, valid for 14 days, for a person with no password yet.

Only a SHA-256 of each token is stored. A link dies when it is used, when it expires, when a
coordinator revokes it, or when a new one is sent (the new invitation replaces the old).

The email goes through the task queue like every other notification, and neither the
Notification row nor the task's arguments hold the token: the worker makes it when it sends
the email, as an HMAC of the invitation's id under SECRET_KEY. So a retry sends the very same
link (never a second valid one), and a link that has died in the meantime is not sent at all.
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format

from accounts.models import Invitation, User
from accounts.roles import Role
from notifications.events import Event
from notifications.services import notify, notify_secret_link

VALID_FOR = datetime.timedelta(days=14)


class LinkState:
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REPLACED = "replaced"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Lookup:
    state: str
    invitation: Invitation | None = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('accounts:invitation-accept', kwargs={'token': token})}"


def invitation_state(invitation: Invitation) -> str:
    if invitation.accepted_at:
        return LinkState.USED
    if invitation.replaced_by_id:
        return LinkState.REPLACED
    if invitation.revoked_at or not invitation.user.is_active:
        return LinkState.REVOKED
    if invitation.expires_at <= timezone.now():
        return LinkState.EXPIRED
    return LinkState.VALID


def invitation_lookup(token: str) -> Lookup:
    """What a link is now. A token we never issued (or one altered) is UNKNOWN."""
    if not token or len(token) > 100:
        return Lookup(LinkState.UNKNOWN)
    invitation = (
        Invitation.objects.select_related("user", "invited_by")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None:
        return Lookup(LinkState.UNKNOWN)
    return Lookup(invitation_state(invitation), invitation)


def _token(invitation: Invitation) -> str:
    """The invitation's link token: unguessable without SECRET_KEY, and the same each time it
    is made, so it need never be stored or passed to a task."""
    return salted_hmac(
        "accounts.invitations.link", str(invitation.pk), algorithm="sha256"
    ).hexdigest()


def _new_invitation(*, user: User, role: str, invited_by: User | None) -> Invitation:
    invitation = Invitation(
        user=user, role=role, invited_by=invited_by, expires_at=timezone.now() + VALID_FOR
    )
    invitation.token_hash = _hash(_token(invitation))
    return invitation


@transaction.atomic
def invitations_send(
    *, people: Iterable[tuple[User, str]], invited_by: User | None
) -> list[Invitation]:
    """Invite each (person, role) who has no usable password and no open invitation yet; a
    person listed twice is invited once, with the first role given. One query to find who
    already holds an open invitation, one to create the rest, whatever the number."""
    wanted: dict[int, tuple[User, str]] = {}
    for user, role in people:
        if user.is_active and not user.has_usable_password():
            wanted.setdefault(user.pk, (user, str(role)))
    if not wanted:
        return []
    already = set(
        Invitation.objects.filter(
            user_id__in=wanted, accepted_at__isnull=True, revoked_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    made = [
        _new_invitation(user=user, role=role, invited_by=invited_by)
        for pk, (user, role) in wanted.items()
        if pk not in already
    ]
    Invitation.objects.bulk_create(made)
    for invitation in made:
        send_invitation_email(invitation)
    return made


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation) -> Invitation:
    """A new link for the same person; the old link stops working at once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError("This person has already set their password; nothing to resend.")
    if invitation.replaced_by_id:
        raise ValidationError("A newer invitation has already been sent to this person.")
    now = timezone.now()
    invitation.revoked_at = invitation.revoked_at or now
    invitation.revoked_by = invitation.revoked_by or actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    fresh = _new_invitation(user=invitation.user, role=invitation.role, invited_by=actor)
    fresh.save()
    invitation.replaced_by = fresh
    invitation.save(update_fields=["replaced_by"])
    send_invitation_email(fresh)
    return fresh


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError("This person has already set their password with this link.")
    if invitation.revoked_at:
        raise ValidationError("This invitation was already withdrawn.")
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the person's password from a valid link, once. Django's password validators apply;
    their messages are keyed to `password`."""
    lookup = invitation_lookup(token)
    if lookup.invitation is None:
        raise PermissionDenied("This link is not valid.")
    invitation = (
        Invitation.objects.select_for_update().select_related("user").get(pk=lookup.invitation.pk)
    )
    if invitation_state(invitation) != LinkState.VALID:
        raise PermissionDenied("This link can no longer be used.")
    user = invitation.user
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


def invitation_request_renewal(*, email: str) -> None:
    """Someone holding a dead link asks for a new one. The coordinator who invited them is
    told; the caller always shows the same answer, so nobody learns whether an account
    exists. Does nothing for a person who has set their password (they can reset it)."""
    invitation = (
        Invitation.objects.select_related("invited_by", "user")
        .filter(user__email__iexact=email.strip(), user__is_active=True)
        .order_by("-created_at")
        .first()
    )
    if invitation is None or invitation.user.has_usable_password():
        return
    Invitation.objects.filter(pk=invitation.pk).update(renewal_requested_at=timezone.now())
    coordinator = invitation.invited_by
    if coordinator is None or not coordinator.is_active:
        return
    with transaction.atomic():
        notify(
            user=coordinator,
            event=Event.INVITATION_RENEWAL,
            link=reverse("portfolios:invitation-list"),
            context={"email": invitation.user.email},
        )


def send_invitation_email(invitation: Invitation) -> None:
    """Queue the person's invitation email; it is sent once the transaction commits, by the
    task worker, which makes the link then."""
    inviter = invitation.invited_by
    notify_secret_link(
        user=invitation.user,
        event=Event.INVITATION,
        invitation=invitation,
        context={
            "inviter": inviter.display_name if inviter else "Your university",
            "role": _role_label(invitation.role),
            "expires": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
        },
    )


def _role_label(role: str) -> str:
    return Role(role).label.lower() if role in Role.values else ""


def invitation_message(notification) -> EmailMultiAlternatives | None:
    """The invitation email for a queued notification (run by the task worker, inside its
    transaction): who invites them, to what role, the link and when it expires; nothing about
    any placement or person in a case. None when the invitation was used, withdrawn, replaced
    or has expired since: a dead link is never sent."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("user", "invited_by")
        .get(pk=notification.invitation_id)
    )
    if invitation_state(invitation) != LinkState.VALID:
        return None
    token = _token(invitation)
    if invitation.token_hash != _hash(token):
        # SECRET_KEY has changed since the invitation was made: the link sent is the only one.
        invitation.token_hash = _hash(token)
        invitation.save(update_fields=["token_hash"])
    inviter = invitation.invited_by
    context = {
        "name": invitation.user.first_name or "",
        "inviter": inviter.display_name if inviter else "Your university",
        "role": _role_label(invitation.role),
        "link": invitation_link(token),
        "expires_at": invitation.expires_at,
        "days": VALID_FOR.days,
    }
    message = EmailMultiAlternatives(
        notification.subject,
        render_to_string("emails/invitation.txt", context),
        None,
        [invitation.user.email],
    )
    message.attach_alternative(render_to_string("emails/invitation.html", context), "text/html")
    return message
