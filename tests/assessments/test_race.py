"""Two identical sign-off requests at the same moment (a double click, two tabs): exactly one
takes the step, the other is told it was already done, and nothing is recorded twice.

This needs real, concurrent transactions. SQLite serialises every write, so there the test
would prove nothing: it runs on PostgreSQL only.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.models import User
from assessments import services
from assessments.models import PanelMeeting, Review, SignedReport
from portfolios.models import PlacementStatusChange
from tests.assessments import builders

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writes, so a race cannot happen there.",
    ),
]

STEPS = {
    "sign": (builders.ready, "educator", services.review_sign),
    "acknowledge": (builders.signed, "student", services.review_acknowledge),
    "countersign": (
        builders.acknowledged,
        "tutor",
        lambda actor, review: services.review_countersign(
            actor=actor, review=review, confirmed=True
        ),
    ),
    "ratify": (
        lambda placement: (builders.meeting(placement), builders.countersigned(placement))[1],
        "panel",
        lambda actor, review: services.review_ratify(
            actor=actor,
            review=review,
            meeting=PanelMeeting.objects.get(university=review.placement.programme.university),
        ),
    ),
}


def at_once(step, *, actor_pk, review_pk, callers: int = 2) -> list:
    """Run `step` in `callers` threads released together; return what each got back."""
    barrier = threading.Barrier(callers, timeout=20)
    results: list = []

    def call():
        try:
            actor = User.objects.get(pk=actor_pk)
            review = Review.objects.get(pk=review_pk)
            barrier.wait()
            step(actor=actor, review=review)
            results.append("done")
        except Exception as error:
            # Kept, not raised: a thread's exception would otherwise be lost.
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a sign-off step hung"
    return results


@pytest.mark.parametrize("step", list(STEPS))
def test_of_two_simultaneous_requests_exactly_one_takes_the_step(cast, step):
    before, who, take = STEPS[step]
    review = before(cast.placement)
    changes = PlacementStatusChange.objects.count()
    reports = SignedReport.objects.count()

    results = at_once(take, actor_pk=getattr(cast, who).pk, review_pk=review.pk)

    assert results.count("done") == 1, results
    (refused,) = [r for r in results if r != "done"]
    assert isinstance(refused, ValidationError), repr(refused)
    assert "already" in refused.messages[0]
    assert PlacementStatusChange.objects.count() == changes + 1
    assert SignedReport.objects.count() == reports + 1


def test_two_simultaneous_signatures_lock_the_evidence_once(cast):
    review = builders.ready(cast.placement)
    at_once(services.review_sign, actor_pk=cast.educator.pk, review_pk=review.pk)
    review = builders.fresh(review)
    assert review.status == Review.Status.SIGNED
    assert review.signed_by == cast.educator
    cited = review.judgements.first().citations.get().evidence
    assert cited.locked_at == review.locked_at
