"""The sign-off rules, one by one. Each starts from a review that meets every rule, breaks one,
and checks that the checklist names it, that a forged POST to sign is refused with nothing
changed, and that the service refuses too. Removing a rule from the lists fails its test."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import rules, services
from assessments.models import Concern, Review, Strength
from portfolios import services as portfolio_services
from portfolios.models import (
    DirectObservation,
    Evidence,
    LearningAgreement,
    Placement,
    PracticeArea,
    Programme,
)
from portfolios.models.immutability import backdating
from tests import factories
from tests.assessments import builders

Kind = Review.Kind
Rec = Review.Recommendation


def save(cast, review, order, **changes):
    """Save one domain's judgement with some of its parts changed."""
    judgement = builders.judgement(review, order)
    values = {
        "grade": judgement.grade,
        "narrative": judgement.narrative,
        "evidence": [c.evidence for c in judgement.citations.all()],
        **changes,
    }
    services.judgement_save(actor=cast.educator, judgement=judgement, **values)


def outcome(cast, review, **changes):
    values = {
        "summary": review.summary,
        "recommendation": review.recommendation,
        "recommendation_justification": review.recommendation_justification,
        "recommendation_domains": list(review.recommendation_domains.all()),
        "no_concern_reason": review.no_concern_reason,
        "midpoint_outcome": review.midpoint_outcome,
        **changes,
    }
    services.review_outcome_save(actor=cast.educator, review=review, **values)


def raise_concern(cast, *, days_ago=0, order=1) -> Concern:
    concern = services.concern_raise(
        actor=cast.educator,
        placement=cast.placement,
        description="Record keeping is late.",
        review_date=builders.days_ahead(14),
        targets={cast.placement.framework.domains.get(order=order): "Records within 48 hours."},
    )
    if days_ago:
        Concern.objects.filter(pk=concern.pk).update(
            created_at=concern.created_at - datetime.timedelta(days=days_ago)
        )
    return concern


def unacknowledge_midpoint(cast, review):
    # An acknowledgement cannot be taken back; the test forces the state it guards against.
    with backdating():
        Review.objects.filter(placement=cast.placement, kind=Kind.MIDPOINT).update(
            status=Review.Status.SIGNED, acknowledged_at=None
        )


def unsign_agreement(cast, review):
    LearningAgreement.objects.filter(placement=cast.placement).update(
        status=LearningAgreement.Status.DRAFT, signed_at=None
    )


def send_back_a_second_citation(cast, review):
    extra = builders.evidence(cast.placement, title="Sent back later")
    save(
        cast,
        review,
        2,
        evidence=[*[c.evidence for c in builders.judgement(review, 2).citations.all()], extra],
    )
    Evidence.objects.filter(pk=extra.pk).update(status=Evidence.Status.REVISION_REQUESTED)


def drop_an_observation(cast, review):
    Evidence.objects.filter(
        kind=Evidence.Kind.DIRECT_OBSERVATION, observation__observer="educator"
    ).first().delete()


FINAL_BREAKERS = {
    rules.midpoint_signed_and_acknowledged: unacknowledge_midpoint,
    rules.learning_agreement_signed: unsign_agreement,
    rules.every_domain_graded: lambda cast, r: save(cast, r, 2, grade=None),
    rules.narratives_long_enough: lambda cast, r: save(cast, r, 3, narrative="Good work."),
    rules.every_domain_cites_evidence: lambda cast, r: save(cast, r, 5, evidence=[]),
    rules.citations_still_usable: send_back_a_second_citation,
    rules.strengths_recorded: lambda cast, r: Strength.objects.filter(review=r).delete(),
    rules.every_area_rated: lambda cast, r: PracticeArea.objects.create(
        code="fostering", name="Fostering and adoption"
    ),
    rules.recommendation_justified: lambda cast, r: outcome(
        cast, r, recommendation_justification=""
    ),
    rules.no_open_concern: lambda cast, r: raise_concern(cast),
    rules.days_support_the_recommendation: lambda cast, r: builders.days_done(cast.placement, 60),
    rules.observations_recorded: drop_an_observation,
    rules.pass_needs_every_domain_at_threshold: lambda cast, r: save(
        cast, r, 4, grade=builders.grade(cast.placement, 2)
    ),
    rules.no_surprises: lambda cast, r: outcome(
        cast,
        r,
        recommendation=Rec.DEFER,
        recommendation_domains=[cast.placement.framework.domains.get(order=1)],
    ),
}

MIDPOINT_BREAKERS = {
    rules.every_domain_graded: lambda cast, r: save(cast, r, 2, grade=None),
    rules.every_domain_has_narrative: lambda cast, r: save(cast, r, 6, narrative=""),
    rules.citations_still_usable: send_back_a_second_citation,
    rules.below_track_has_concern: lambda cast, r: save(
        cast, r, 7, grade=builders.grade(cast.placement, 2)
    ),
    rules.midpoint_outcome_recorded: lambda cast, r: outcome(cast, r, midpoint_outcome=""),
}


def test_every_rule_has_a_test_here():
    assert {r.check for r in rules.FINAL_RULES} == set(FINAL_BREAKERS)
    assert {r.check for r in rules.MIDPOINT_RULES} == set(MIDPOINT_BREAKERS)


def test_a_ready_final_review_meets_every_rule(cast):
    checks = services.review_sign_checks(review=builders.ready(cast.placement))
    assert [i.title for i in checks.items if not i.met] == []
    assert checks.can_sign


def unmet(checks) -> list:
    return [i for i in checks.items if not i.met]


def refused_everywhere(client, cast, review, rule):
    """The checklist names the rule; a forged POST and the service are refused; nothing changed."""
    review = builders.fresh(review)
    checks = services.review_sign_checks(review=review)
    broken = unmet(checks)
    assert len(broken) == 1, [i.unmet.message for i in broken]
    message = broken[0].unmet.message
    assert broken[0].unmet.fix_url

    locked_before = set(Evidence.objects.filter(locked_at__isnull=False).values_list("pk"))
    client.force_login(cast.educator)
    response = client.post(
        reverse("assessments:review-sign", kwargs={"pk": review.pk}), follow=True
    )
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    with pytest.raises(ValidationError):
        services.review_sign(actor=cast.educator, review=review)
    after = builders.fresh(review)
    assert (after.status, after.signed_at, after.locked_at) == ("draft", None, None)
    assert set(Evidence.objects.filter(locked_at__isnull=False).values_list("pk")) == locked_before


@pytest.mark.parametrize("rule", FINAL_BREAKERS, ids=lambda r: r.__name__)
def test_a_final_review_breaking_one_rule_cannot_be_signed(client, cast, rule):
    review = builders.ready(cast.placement)
    FINAL_BREAKERS[rule](cast, builders.fresh(review))
    refused_everywhere(client, cast, review, rule)
    cast.placement.refresh_from_db()
    assert cast.placement.status == "active"


@pytest.mark.parametrize("rule", MIDPOINT_BREAKERS, ids=lambda r: r.__name__)
def test_a_midpoint_breaking_one_rule_cannot_be_signed(client, cast, rule):
    review = builders.ready(cast.placement, Kind.MIDPOINT)
    MIDPOINT_BREAKERS[rule](cast, builders.fresh(review))
    refused_everywhere(client, cast, review, rule)


# --- What each rule says, and how it is met ---------------------------------------------------


def checks_of(review):
    return services.review_sign_checks(review=builders.fresh(review))


def test_a_pass_below_the_threshold_says_to_grade_again_or_defer(cast):
    review = builders.ready(cast.placement)
    save(cast, review, 4, grade=builders.grade(cast.placement, 2))
    (item,) = unmet(checks_of(review))
    assert item.unmet.message == (
        "A pass cannot be signed while Domain 4 is graded below the pass threshold. Grade "
        "again if the evidence supports a higher grade, or recommend Defer."
    )


def test_a_shortfall_of_days_allows_a_defer_raised_in_time(cast):
    review = builders.ready(cast.placement)
    builders.days_done(cast.placement, 35)
    raise_concern(cast, days_ago=12)
    services.concern_record_outcome(
        actor=cast.educator,
        concern=Concern.objects.get(),
        outcome="escalated",
        note="To the panel.",
    )
    outcome(
        cast,
        builders.fresh(review),
        recommendation=Rec.DEFER,
        recommendation_domains=[cast.placement.framework.domains.get(order=1)],
    )
    assert checks_of(review).can_sign
    services.review_sign(actor=cast.educator, review=builders.fresh(review))
    assert builders.fresh(review).status == "signed"


def test_a_shortfall_message_gives_the_days_and_the_way_out(cast):
    review = builders.ready(cast.placement)
    builders.days_done(cast.placement, 35.5)
    (item,) = unmet(checks_of(review))
    assert item.unmet.message.startswith("Only 35.5 of the 100 required days are confirmed")
    assert "recommend Defer" in item.unmet.message


def test_the_programme_days_tolerance_allows_a_small_shortfall(cast):
    Programme.objects.filter(pk=cast.programme.pk).update(days_tolerance=2)
    review = builders.ready(cast.placement)
    builders.days_done(cast.placement, 98)
    assert checks_of(review).can_sign
    builders.days_done(cast.placement, 97.5)
    assert not checks_of(review).can_sign


def test_a_concern_raised_too_late_does_not_count_for_no_surprises(cast):
    review = builders.ready(cast.placement)
    raise_concern(cast, days_ago=9)
    services.concern_record_outcome(
        actor=cast.educator, concern=Concern.objects.get(), outcome="escalated", note="Panel."
    )
    outcome(
        cast,
        builders.fresh(review),
        recommendation=Rec.FAIL,
        recommendation_domains=[cast.placement.framework.domains.get(order=1)],
    )
    (item,) = unmet(checks_of(review))
    assert "at least 10 days before signing" in item.unmet.message


def test_a_written_reason_meets_no_surprises(cast):
    review = builders.ready(cast.placement)
    outcome(
        cast,
        review,
        recommendation=Rec.FAIL,
        recommendation_domains=[cast.placement.framework.domains.get(order=1)],
        no_concern_reason="A serious incident in the last week; the tutor was told that day.",
    )
    assert checks_of(review).can_sign


def test_an_extended_concern_is_still_open(cast):
    review = builders.ready(cast.placement)
    raise_concern(cast)
    services.concern_record_outcome(
        actor=cast.educator,
        concern=Concern.objects.get(),
        outcome="extended",
        note="More time.",
        review_date=builders.days_ahead(7),
    )
    (item,) = unmet(checks_of(review))
    assert "has an extended action plan still running" in item.unmet.message


def test_observations_by_others_do_not_count_towards_the_educators_share(cast):
    review = builders.ready(cast.placement)
    DirectObservation.objects.update(observer=DirectObservation.Observer.SUPERVISOR)
    (item,) = unmet(checks_of(review))
    assert item.unmet.message.endswith("Recorded and submitted: 3, 0 by the practice educator.")


def test_an_educators_observation_counts_only_once_the_educator_has_accepted_it(cast):
    review = builders.ready(cast.placement)
    Evidence.objects.filter(
        kind=Evidence.Kind.DIRECT_OBSERVATION, observation__observer="educator"
    ).update(status=Evidence.Status.SUBMITTED)
    (item,) = unmet(checks_of(review))
    assert item.unmet.message.endswith("Recorded and submitted: 3, 0 by the practice educator.")


def test_an_educators_feedback_on_an_observation_counts_it_as_theirs(cast):
    review = builders.ready(cast.placement)
    submitted = Evidence.objects.filter(
        kind=Evidence.Kind.DIRECT_OBSERVATION, observation__observer="educator"
    )
    submitted.update(status=Evidence.Status.SUBMITTED)
    for item in submitted:
        portfolio_services.observation_feedback_save(
            actor=cast.educator,
            evidence=item,
            feedback={item.mappings.first().domain: "You kept the family at the centre."},
        )
    assert checks_of(review).can_sign


def test_people_who_change_after_the_agreement_was_signed_must_sign_it(cast):
    review = builders.ready(cast.placement)
    newcomer = factories.TutorFactory()
    Placement.objects.filter(pk=cast.placement.pk).update(tutor=newcomer)
    (item,) = unmet(checks_of(review))
    assert item.unmet.message.startswith("The tutor changed after the learning agreement")


def test_draft_observations_do_not_count(cast):
    review = builders.ready(cast.placement)
    Evidence.objects.filter(kind=Evidence.Kind.DIRECT_OBSERVATION).update(
        status=Evidence.Status.DRAFT
    )
    assert not checks_of(review).can_sign


def test_the_programme_sets_the_minimum_words(cast):
    Programme.objects.filter(pk=cast.programme.pk).update(min_narrative_words=2)
    review = builders.ready(cast.placement)
    save(cast, review, 3, narrative="Good work.")
    assert checks_of(review).can_sign


def test_only_the_programmes_areas_must_be_rated(cast):
    review = builders.ready(cast.placement)
    chosen = PracticeArea.objects.create(code="adults", name="Adult social care")
    PracticeArea.objects.create(code="youth", name="Youth justice")
    cast.programme.practice_areas.add(chosen)
    (item,) = unmet(checks_of(review))
    assert item.unmet.message.endswith("Not yet rated: Adult social care.")
    services.suitability_save(
        actor=cast.educator,
        review=review,
        practice_area=chosen,
        rating="not_observed",
        rationale="",
    )
    assert checks_of(review).can_sign


def test_a_midpoint_domain_below_track_is_met_by_a_concern_naming_it(cast):
    review = builders.ready(cast.placement, Kind.MIDPOINT)
    save(cast, review, 7, grade=builders.grade(cast.placement, 2))
    raise_concern(cast, order=6)
    assert not checks_of(review).can_sign
    raise_concern(cast, order=7)
    assert checks_of(review).can_sign


def test_a_midpoint_domain_below_track_is_met_by_a_reason(cast):
    review = builders.ready(cast.placement, Kind.MIDPOINT)
    save(cast, review, 7, grade=builders.grade(cast.placement, 2))
    outcome(cast, builders.fresh(review), no_concern_reason="New to the team; on course.")
    assert checks_of(review).can_sign


def test_warnings_inform_but_do_not_block(cast):
    review = builders.ready(cast.placement)
    checks = checks_of(review)
    assert checks.can_sign
    assert any("single evidence item" in w for w in checks.warnings)
    assert any("service user or carer feedback" in w for w in checks.warnings)
    services.review_sign(actor=cast.educator, review=builders.fresh(review))


def test_the_checklist_uses_the_frameworks_word(db):
    # A framework in use is frozen, so the placement starts on one that says "competency".
    placement = factories.PlacementFactory(
        programme__framework__domain_word="competency",
        programme__framework__domain_word_plural="competencies",
    )
    checks = checks_of(builders.ready(placement))
    assert "Every competency has a grade." in [i.title for i in checks.items]


def test_a_concern_cannot_be_reopened_or_raised_once_the_final_review_is_signed(cast):
    raise_concern(cast, days_ago=20)
    concern = Concern.objects.get()
    services.concern_record_outcome(
        actor=cast.educator, concern=concern, outcome="resolved", note="Records on time now."
    )
    services.review_sign(actor=cast.educator, review=builders.ready(cast.placement))
    with pytest.raises(ValidationError):
        services.concern_record_outcome(
            actor=cast.educator,
            concern=concern,
            outcome="extended",
            note="Reopen",
            review_date=builders.days_ahead(5),
        )
    with pytest.raises(ValidationError):
        raise_concern(cast)
    concern.refresh_from_db()
    assert concern.outcome == "resolved"
    assert Concern.objects.count() == 1
