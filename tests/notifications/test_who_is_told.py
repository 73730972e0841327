"""Each step that needs someone tells exactly them: one notification each, nobody else."""

import pytest

from assessments import services as reviews
from notifications.events import Event
from portfolios import services
from tests import factories
from tests.assessments import builders
from tests.notifications.helpers import Told


def test_submitted_evidence_tells_the_educator(cast):
    draft = builders.evidence(cast.placement, submit=False)
    told = Told()
    services.evidence_submit(actor=cast.student, evidence=draft)
    assert told() == [(cast.educator, Event.EVIDENCE_SUBMITTED)]


def test_evidence_sent_back_tells_the_student(cast):
    item = builders.evidence(cast.placement)
    told = Told()
    services.evidence_review(actor=cast.educator, evidence=item, accept=False, comment="More.")
    assert told() == [(cast.student, Event.EVIDENCE_SENT_BACK)]


def test_accepting_evidence_tells_nobody(cast):
    item = builders.evidence(cast.placement)
    told = Told()
    services.evidence_review(actor=cast.educator, evidence=item, accept=True)
    assert told() == []


@pytest.mark.parametrize("who", ["educator", "supervisor", "tutor"])
def test_a_comment_tells_the_student_and_a_reply_tells_the_educator(cast, who):
    item = builders.evidence(cast.placement)
    told = Told()
    services.evidence_comment_add(actor=getattr(cast, who), evidence=item, text="Good.")
    assert told() == [(cast.student, Event.EVIDENCE_COMMENTED)]
    services.evidence_comment_add(actor=cast.student, evidence=item, text="Thanks.")
    assert told() == [(cast.educator, Event.EVIDENCE_REPLIED)]


@pytest.mark.parametrize("kind", ["midpoint", "final"])
def test_a_signed_review_asks_the_student_to_acknowledge_it(cast, kind):
    review = builders.ready(cast.placement, kind)
    told = Told()
    reviews.review_sign(actor=cast.educator, review=review)
    assert told() == [(cast.student, Event.REVIEW_TO_ACKNOWLEDGE)]


def test_an_acknowledged_final_review_goes_to_the_tutor_and_a_midpoint_to_nobody(cast):
    midpoint = builders.signed(cast.placement, "midpoint")
    told = Told()
    reviews.review_acknowledge(actor=cast.student, review=midpoint)
    assert told() == []
    final = builders.signed(cast.placement)
    told()
    reviews.review_acknowledge(actor=cast.student, review=final)
    assert told() == [(cast.tutor, Event.REVIEW_TO_COUNTERSIGN)]


def test_a_countersigned_review_goes_to_the_universitys_panel_members_only(cast):
    second_member = factories.PanelMemberFactory()
    cast.university.members.add(second_member)
    other_university = factories.UniversityFactory()
    other_university.members.add(factories.PanelMemberFactory())
    review = builders.acknowledged(cast.placement)
    told = Told()
    reviews.review_countersign(actor=cast.tutor, review=review, confirmed=True)
    assert sorted(told(), key=lambda t: t[0].pk) == sorted(
        [(cast.panel, Event.REVIEW_TO_RATIFY), (second_member, Event.REVIEW_TO_RATIFY)],
        key=lambda t: t[0].pk,
    )


def test_a_review_returned_by_the_panel_goes_back_to_the_educator(cast):
    review = builders.countersigned(cast.placement)
    told = Told()
    reviews.review_return(
        actor=cast.panel,
        review=review,
        meeting=builders.meeting(cast.placement),
        reason="Cite the observations.",
    )
    assert told() == [(cast.educator, Event.REVIEW_RETURNED)]


def test_a_ratified_review_tells_nobody(cast):
    review = builders.countersigned(cast.placement)
    told = Told()
    reviews.review_ratify(
        actor=cast.panel, review=review, meeting=builders.meeting(cast.placement), note="Clear."
    )
    assert told() == []


@pytest.mark.parametrize("raiser, colleague", [("educator", "tutor"), ("tutor", "educator")])
def test_a_concern_tells_the_student_and_the_colleague_of_whoever_raised_it(
    cast, raiser, colleague
):
    domain = cast.placement.framework.domains.first()
    told = Told()
    reviews.concern_raise(
        actor=getattr(cast, raiser),
        placement=cast.placement,
        description="Late.",
        review_date=builders.days_ahead(14),
        targets={domain: "Arrive on time."},
    )
    assert told() == [
        (getattr(cast, colleague), Event.CONCERN_RAISED),
        (cast.student, Event.CONCERN_RAISED_FOR_STUDENT),
    ]


def test_a_refused_step_tells_nobody(cast):
    review = builders.ready(cast.placement, "midpoint")
    told = Told()
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        reviews.review_sign(actor=cast.tutor, review=review)
    assert told() == []
