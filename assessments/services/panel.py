"""The practice assessment panel: its meetings and the moderation sample each one reads.

The sample is every fail and defer waiting for the panel, plus a share of each programme's
passes (`Programme.moderation_pass_share`, at least one pass whenever there is one). Passes are
drawn with Python's `random.Random`, seeded with the meeting's id and the programme's id, from
the passes sorted by review id: the same meeting and the same reports always give the same
draw, whoever draws it and on whatever machine. The draw is stored (`ModerationSample` and one
`ModerationSampleItem` per report that was waiting), and drawing again returns it unchanged.
"""

import datetime
import math
import random
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from assessments.models import ModerationSample, ModerationSampleItem, PanelMeeting, Review
from portfolios.models import University
from portfolios.selectors import universities_overseen_by

SAMPLE_METHOD = (
    "Every fail and defer; of each programme's passes, its share rounded up (at least one), "
    "drawn with random.Random seeded by the meeting and programme ids."
)
# How far from today a meeting may be recorded: a past sitting, or one coming up.
MEETING_PAST = datetime.timedelta(days=365)
MEETING_AHEAD = datetime.timedelta(days=90)

Reason = ModerationSampleItem.Reason


def is_panel_member_of(*, user: User, university: University) -> bool:
    return (
        user.has_role(Role.PANEL)
        and universities_overseen_by(user=user).filter(pk=university.pk).exists()
    )


def panel_members_of(university: University):
    return university.members.filter(groups__name=Role.PANEL, is_active=True).order_by(
        "last_name", "first_name", "email"
    )


@transaction.atomic
def panel_meeting_create(
    *, actor: User, university: University, date: datetime.date, members: Iterable[User]
) -> PanelMeeting:
    """Record a sitting of the panel: its date and which panel members were present."""
    if not is_panel_member_of(user=actor, university=university):
        raise PermissionDenied("Only a panel member of this university records its meetings.")
    members = list(dict.fromkeys(members))
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not today - MEETING_PAST <= date <= today + MEETING_AHEAD:
        errors["date"] = "Please give a date within the past year or the next three months."
    eligible = set(panel_members_of(university).values_list("pk", flat=True))
    if not members:
        errors["members"] = "Please tick the panel members who were present."
    elif any(m.pk not in eligible for m in members):
        errors["members"] = "Only panel members of this university can be listed as present."
    if errors:
        raise ValidationError(errors)
    meeting = PanelMeeting.objects.create(university=university, date=date, created_by=actor)
    meeting.members_present.set(members)
    return meeting


def passes_to_draw(count: int, share_percent: int) -> int:
    """How many of `count` passes the sample reads: the share rounded up, at least one."""
    if count == 0:
        return 0
    return min(count, max(1, math.ceil(count * share_percent / 100)))


def draw_passes(passes: list[Review], *, k: int, seed: str) -> set:
    """The ids of the `k` passes drawn: the same seed and passes always give the same ones."""
    ordered = sorted(passes, key=lambda review: str(review.pk))
    return {review.pk for review in random.Random(seed).sample(ordered, k)}


def waiting_for_panel(university: University):
    """Countersigned final reports of this university's placements, not yet decided."""
    return Review.objects.filter(
        placement__programme__university=university,
        kind=Review.Kind.FINAL,
        status=Review.Status.COUNTERSIGNED,
    )


@transaction.atomic
def moderation_sample_draw(*, actor: User, meeting: PanelMeeting) -> ModerationSample:
    """Draw the meeting's sample from the reports waiting now, and record it. A meeting has
    one sample: drawing again returns the one recorded, unchanged."""
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not is_panel_member_of(user=actor, university=meeting.university):
        raise PermissionDenied("Only a panel member of this university draws its sample.")
    existing = ModerationSample.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    pool = list(waiting_for_panel(meeting.university).select_related("placement__programme"))
    if not pool:
        raise ValidationError(
            "No countersigned reports are waiting for the panel, so there is nothing to sample yet."
        )
    seed = meeting.pk.hex
    drawn: set = set()
    by_programme: dict = {}
    for review in pool:
        if review.recommendation == Review.Recommendation.PASS:
            by_programme.setdefault(review.placement.programme, []).append(review)
    for programme, passes in by_programme.items():
        k = passes_to_draw(len(passes), programme.moderation_pass_share)
        drawn |= draw_passes(passes, k=k, seed=f"{seed}:{programme.pk}")
    sample = ModerationSample.objects.create(
        meeting=meeting, drawn_by=actor, seed=seed, method=SAMPLE_METHOD
    )
    ModerationSampleItem.objects.bulk_create(
        ModerationSampleItem(sample=sample, review=review, **_reason(review, drawn))
        for review in pool
    )
    return sample


def _reason(review: Review, drawn: set) -> dict:
    if review.recommendation == Review.Recommendation.FAIL:
        return {"reason": Reason.FAIL, "sampled": True}
    if review.recommendation == Review.Recommendation.DEFER:
        return {"reason": Reason.DEFER, "sampled": True}
    if review.pk in drawn:
        return {"reason": Reason.PASS_DRAWN, "sampled": True}
    return {"reason": Reason.PASS_NOT_DRAWN, "sampled": False}
