"""The panel's part of the demo (called from seed_demo): one countersigned final report
recommends Defer, every countersignature carries the tutor's comment, the ratified reports
were decided with a note at the panel meeting of their day, and the next meeting, in two weeks,
has its moderation sample drawn from the reports still waiting."""

import datetime

from django.utils import timezone

from accounts.models import User
from assessments import services
from assessments.models import PanelMeeting, Review
from portfolios.models import Placement, University

COUNTERSIGN_COMMENT = (
    "I joined the midpoint and final meetings. The grades match what I saw, and the report "
    "gives the panel a fair picture of where the student is strongest."
)
PANEL_NOTE = "A clear report: the evidence cited supports each grade."
DEFER_JUSTIFICATION = (
    "{name} has shown sound values and good engagement, but too few direct observations of "
    "assessment work could be completed after the team's office move. Deferring gives time "
    "for two further observed assessments before a final decision."
)
DEFER_NO_CONCERN = (
    "The shortfall came from the office move in the last month, not from {name}'s practice, "
    "so no concern about practice was raised."
)


def final_outcome(placement: Placement, status: str, name: str) -> dict | None:
    """A Defer for the first report that will wait for the panel at each university, so the
    sample has something it must read; None leaves the usual Pass."""
    waiting = Review.objects.filter(
        placement__programme__university_id=placement.programme.university_id,
        recommendation=Review.Recommendation.DEFER,
    )
    if status != Placement.Status.COUNTERSIGNED or waiting.exists():
        return None
    domains = list(placement.framework.domains.order_by("order")[6:7])
    return {
        "recommendation": Review.Recommendation.DEFER,
        "recommendation_justification": DEFER_JUSTIFICATION.format(name=name),
        "recommendation_domains": domains,
        "no_concern_reason": DEFER_NO_CONCERN.format(name=name),
        "summary": f"{name} is close to the standard, with observed assessment work to add.",
    }


def _meeting(university: University, panel: User, date: datetime.date) -> PanelMeeting:
    meeting = PanelMeeting.objects.filter(university=university, date=date).first()
    if meeting is None:
        meeting = services.panel_meeting_create(
            actor=panel, university=university, date=date, members=[panel]
        )
    return meeting


def countersign(review: Review, tutor: User) -> None:
    services.review_countersign(
        actor=tutor, review=review, confirmed=True, comment=COUNTERSIGN_COMMENT
    )


def ratify(review: Review, panel: User) -> None:
    """Ratified at the university's panel meeting of that day, with a note."""
    university = review.placement.programme.university
    meeting = _meeting(university, panel, timezone.localdate())
    services.review_ratify(actor=panel, review=review, meeting=meeting, note=PANEL_NOTE)


def seed_panel(panel: User) -> None:
    """The next meeting of each of the panel member's universities, with its sample drawn."""
    for university in panel.universities.all():
        if services.panel.waiting_for_panel(university).exists():
            meeting = _meeting(university, panel, timezone.localdate() + datetime.timedelta(14))
            services.moderation_sample_draw(actor=panel, meeting=meeting)
