"""The student's hand-on to a first employer: time-limited links to their development summary.
Only a hash of each link's token is kept, so a link cannot be recovered from the database."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from assessments.models import Review, ShareLink

# How long a link may live: the student chooses one.
SHARE_DAYS = (7, 30, 90)
MAX_ACTIVE_LINKS = 10


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def summary_available(review: Review) -> bool:
    return review.is_final and review.status == Review.Status.RATIFIED


def _require_student(actor: User, review: Review) -> None:
    if actor.pk != review.placement.student_id:
        raise PermissionDenied("Only the student shares their development summary.")


@transaction.atomic
def share_link_create(
    *, actor: User, review: Review, days: int, label: str = ""
) -> tuple[ShareLink, str]:
    """A new link (and its token, shown once) to the development summary of a ratified final
    review, open for `days` days."""
    review = Review.objects.select_for_update().select_related("placement").get(pk=review.pk)
    _require_student(actor, review)
    if not summary_available(review):
        raise ValidationError("A development summary can be shared once the panel has ratified it.")
    if days not in SHARE_DAYS:
        raise ValidationError({"days": "Choose how long the link stays open."})
    now = timezone.now()
    active = review.share_links.filter(revoked_at__isnull=True, expires_at__gt=now).count()
    if active >= MAX_ACTIVE_LINKS:
        raise ValidationError(
            f"You have {active} links open. Revoke one you no longer need before making another."
        )
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        review=review,
        created_by=actor,
        label=label.strip(),
        token_hash=_token_hash(token),
        expires_at=now + datetime.timedelta(days=days),
    )
    return link, token


@transaction.atomic
def share_link_revoke(*, actor: User, link: ShareLink) -> ShareLink:
    link = ShareLink.objects.select_for_update().select_related("review__placement").get(pk=link.pk)
    _require_student(actor, link.review)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
    return link


def share_link_for_token(token: str) -> ShareLink | None:
    """The link a token opens, whatever its state (the page explains an expired one)."""
    if not token or len(token) > 100:
        return None
    return (
        ShareLink.objects.filter(token_hash=_token_hash(token))
        .select_related("review__placement__student", "review__placement__programme")
        .first()
    )


def share_link_opened(*, link: ShareLink) -> None:
    ShareLink.objects.filter(pk=link.pk).update(
        times_opened=F("times_opened") + 1, last_opened_at=timezone.now()
    )
